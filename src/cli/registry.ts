import type { CommandDef } from './command.js';
import { createCommand, runCommand } from './commands/run.js';
import { historyCommand } from './commands/history.js';
import { imagesCommand } from './commands/images.js';
import { importCommand } from './commands/import.js';
import { loadCommand } from './commands/load.js';
import { saveCommand } from './commands/save.js';
import { infoCommand } from './commands/info.js';
import { containerInspectCommand, imageInspectCommand, inspectCommand } from './commands/inspect.js';
import { psCommand } from './commands/ps.js';
import { rmCommand } from './commands/rm.js';
import { rmiCommand } from './commands/rmi.js';
import { tagCommand } from './commands/tag.js';
import { versionCommand } from './commands/version.js';
import { killCommand, pauseCommand, restartCommand, startCommand, stopCommand, unpauseCommand, waitCommand } from './commands/lifecycle.js';
import { logsCommand } from './commands/logs.js';
import { attachCommand } from './commands/attach.js';
import { execCommand } from './commands/exec.js';
import { topCommand } from './commands/top.js';
import { statsCommand } from './commands/stats.js';
import { eventsCommand } from './commands/events.js';
import { commitCommand } from './commands/commit.js';
import { diffCommand } from './commands/diff.js';
import { exportCommand } from './commands/export.js';
import { cpCommand } from './commands/cp.js';
import { containerPruneCommand, imagePruneCommand, systemPruneCommand } from './commands/prune.js';
import { dfCommand } from './commands/df.js';
import { volumeCreateCommand } from './commands/volume-create.js';
import { volumeInspectCommand } from './commands/volume-inspect.js';
import { volumeLsCommand } from './commands/volume-ls.js';
import { volumePruneCommand } from './commands/volume-prune.js';
import { volumeRmCommand } from './commands/volume-rm.js';
import { renameCommand } from './commands/rename.js';
import { updateCommand } from './commands/update.js';
import { completionCommand } from './commands/completion.js';

/** Top-level verbs, as docker has them. */
export const TOP_LEVEL: readonly CommandDef[] = [
  runCommand, createCommand, startCommand, stopCommand, restartCommand, killCommand, pauseCommand, unpauseCommand,
  waitCommand, attachCommand, execCommand, logsCommand, topCommand, statsCommand, eventsCommand,
  psCommand, rmCommand, inspectCommand, commitCommand, cpCommand, diffCommand, exportCommand, renameCommand, updateCommand,
  imagesCommand, importCommand, saveCommand, loadCommand, tagCommand, rmiCommand, historyCommand,
  infoCommand, versionCommand, completionCommand,
];

const renamed = (def: CommandDef, name: string, aliases: readonly string[] = []): CommandDef => ({
  ...def,
  command: def.command.replace(/^\S+/, name),
  aliases,
});

/** Management commands: `ctui image ls`, `ctui container rm` ... (the same handlers). */
export const GROUPS: Readonly<Record<string, { describe: string; commands: readonly CommandDef[] }>> = {
  image: {
    describe: 'Manage images',
    commands: [
      renamed(imagesCommand, 'ls', ['list']),
      renamed(rmiCommand, 'rm', ['remove']),
      renamed(importCommand, 'import'),
      renamed(saveCommand, 'save'),
      renamed(loadCommand, 'load'),
      renamed(tagCommand, 'tag'),
      renamed(historyCommand, 'history'),
      imageInspectCommand,
      imagePruneCommand,
    ],
  },
  container: {
    describe: 'Manage containers',
    commands: [
      renamed(psCommand, 'ls', ['list', 'ps']),
      renamed(rmCommand, 'rm', ['remove']),
      renamed(createCommand, 'create'),
      renamed(runCommand, 'run'),
      containerInspectCommand,
      startCommand, stopCommand, restartCommand, killCommand, pauseCommand, unpauseCommand, waitCommand,
      attachCommand, execCommand, logsCommand, topCommand, statsCommand,
      commitCommand, cpCommand, diffCommand, exportCommand, renameCommand, updateCommand, containerPruneCommand,
    ],
  },
  system: {
    describe: 'Manage ctui',
    commands: [dfCommand, systemPruneCommand, renamed(infoCommand, 'info'), renamed(eventsCommand, 'events')],
  },
  volume: {
    describe: 'Manage volumes',
    commands: [volumeCreateCommand, volumeLsCommand, volumeInspectCommand, volumeRmCommand, volumePruneCommand],
  },
};
