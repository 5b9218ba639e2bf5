// External tools some tests need (nginx, Neovim). Without the tool a test is skipped, visibly and
// one by one; under CI (CI set and not "false"/"0") the same test FAILS instead, because .ci/run
// installs these tools and a CI run that silently skipped them would prove nothing.
import assert from 'node:assert/strict';

export const inCI = Boolean(process.env.CI) && !/^(0|false|no)$/i.test(process.env.CI.trim());

/** Ends test `t` for want of a tool: a skip locally, a failure under CI. */
export function unavailable(t, reason) {
  if (inCI) assert.fail(`${reason}\n(CI=${process.env.CI}: .ci/run installs this tool, so this test must run here, not skip)`);
  t.skip(reason);
}
