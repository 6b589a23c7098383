import type { Lab } from '../runner/lab.ts';

/**
 * The steps of the shared-store scenarios: build a cart through round robin, restart server_1
 * between steps, and keep going until both nodes have answered again.
 */
export async function buildCartAcrossRestart(lab: Lab): Promise<void> {
  const laptop = lab.device('laptop');
  for (const sku of ['apple', 'bread']) {
    await laptop.add(sku);
    await laptop.read();
  }
  await lab.fault('restart', 'server_1');
  for (const sku of ['coffee', 'tea']) {
    await laptop.add(sku);
    await laptop.read();
  }
}
