// The lab's entry point (npm run lab): the engine's command line over the shop's catalogue, with
// the shop's console beside every topology that `lab up` brings up, and `lab check`, the generic
// workload that asks the same questions of any app.
import { runLab } from '../runner/cli.ts';
import { appTopologyFile, checkApp } from './check/command.ts';
import { startConsole } from './console/server.ts';
import { scenarios } from './index.ts';

runLab(scenarios, { console: (running) => startConsole(running), check: checkApp, appTopology: appTopologyFile });
