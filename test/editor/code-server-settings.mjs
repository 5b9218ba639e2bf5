// The user settings code-server runs with in the editor suite and for the README screenshots: a
// workbench with nothing of its own to say (no tips, updates, telemetry, trust prompt or animations),
// so that tests see only the extension and pictures show it fully drawn.
export const QUIET_WORKBENCH = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'security.workspace.trust.enabled': false,
  'window.dialogStyle': 'custom',
  'workbench.reduceMotion': 'on', // no fade-in: screenshots show widgets fully drawn
};
