// A shop node as its own process (node --import tsx app/server.ts), as the lab runs it: for tests
// whose subject is timing between a client and a node that must not share one event loop.
import { afterEach } from 'vitest';
import { freePort } from '../../runner/free-port.ts';
import { AppNode } from '../../runner/servers/app-node.ts';
import { projectRoot } from '../../runner/topology.ts';
import { Device } from '../../runner/http-client.ts';
import { testSecret } from './test-node.ts';

const running: AppNode[] = [];
const devices: Device[] = [];
afterEach(async () => {
  await Promise.all(devices.splice(0).map((device) => device.close()));
  await Promise.all(running.splice(0).map((node) => node.stop()));
});

export interface NodeProcess {
  url: string;
  node: AppNode;
  device(name: string): Device;
}

export async function startNodeProcess(env: Record<string, string>): Promise<NodeProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const node = new AppNode({ name: 'node process', port, environment: { NODE_NAME: 'server_1', SESSION_SECRET: testSecret, PORT: String(port), ...env }, cwd: projectRoot });
  running.push(node);
  await node.start();
  return {
    url,
    node,
    device: (name) => {
      const device = new Device(name, url);
      devices.push(device);
      return device;
    },
  };
}
