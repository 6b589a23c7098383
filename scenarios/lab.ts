// The lab's entry point (npm run lab): the engine's command line over the shop's catalogue.
import { runLab } from '../runner/cli.ts';
import { scenarios } from './index.ts';

runLab(scenarios);
