// Shop nodes started inside the test process, listening on free ports, stopped after each test.
import { afterEach } from 'vitest';
import { loadConfig, type Config } from '../../app/config.ts';
import { startServer, type RunningNode } from '../../app/server.ts';
import { Device } from '../../runner/http-client.ts';

export interface TestNode extends RunningNode {
  config: Readonly<Config>;
  logs: string[];
  device(name?: string): Device;
}

const running: TestNode[] = [];
const devices: Device[] = [];

afterEach(async () => {
  await Promise.all(devices.splice(0).map((d) => d.close()));
  await Promise.all(running.splice(0).map((n) => n.close()));
});

export const testSecret = 'test-secret';

/** Starts a node with the given environment on top of a test default (memory store, port 0). */
export async function startTestNode(env: Record<string, string> = {}): Promise<TestNode> {
  const config = loadConfig({ NODE_NAME: 'server_1', PORT: '0', SESSION_SECRET: testSecret, ...env });
  const logs: string[] = [];
  const node = await startServer(config, (line) => logs.push(line));
  const testNode: TestNode = {
    ...node,
    config,
    logs,
    device: (name = 'device') => {
      const device = new Device(name, node.url);
      devices.push(device);
      return device;
    },
  };
  running.push(testNode);
  return testNode;
}
