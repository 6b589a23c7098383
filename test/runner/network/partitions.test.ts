import { describe, expect, it } from 'vitest';
import { cutOffRuleset } from '../../../runner/network/cut-off.ts';
import { cutOffPeers, isolation, parsePartition, partitionedNetwork } from '../../../runner/network/partitions.ts';

const services = ['server_1', 'server_2', 'redis', 'redis_replica'];

describe('a partition', () => {
  it('reads two groups separated by |, with spaces or commas', () => {
    expect(parsePartition('redis | redis_replica, server_1', services)).toEqual([['redis'], ['redis_replica', 'server_1']]);
  });

  it.each([
    ['redis', 'a partition is two groups of services separated by "|"'],
    ['redis | ', 'a partition is two groups of services separated by "|"'],
    ['a | b | c', 'a partition is two groups of services separated by "|"'],
    ['redis | nginx', 'no service "nginx" to partition; the topology has server_1, server_2, redis, redis_replica'],
    ['redis | redis server_1', 'redis cannot be on both sides of a partition'],
  ])('refuses "%s", saying why', (target, message) => {
    expect(() => parsePartition(target, services)).toThrow(message);
  });

  it('isolating a service puts it against every other one', () => {
    expect(isolation('redis', services)).toEqual([['redis'], ['server_1', 'server_2', 'redis_replica']]);
    expect(() => isolation('nope', services)).toThrow('no service "nope" to isolate');
  });
});

describe('who is cut off from whom', () => {
  it('cuts both ways, and partitions add up', () => {
    const peers = cutOffPeers([
      [['redis'], ['redis_replica']],
      [['server_1'], ['redis']],
    ]);
    expect(Object.fromEntries([...peers].map(([k, v]) => [k, [...v].sort()]))).toEqual({
      redis: ['redis_replica', 'server_1'],
      redis_replica: ['redis'],
      server_1: ['redis'],
    });
  });

  it('gives each service touched its drop list, and an empty one to each when healed', async () => {
    const applied: [string, string[]][] = [];
    const network = partitionedNetwork(async (service, peers) => void applied.push([service, [...peers]]));
    await network.partition([['server_1'], ['redis']]);
    await network.heal();
    expect(applied).toEqual([
      ['server_1', ['redis']],
      ['redis', ['server_1']],
      ['server_1', []],
      ['redis', []],
    ]);
  });
});

describe('the nftables ruleset', () => {
  it('replaces the whole table in one transaction, dropping the addresses both ways', () => {
    const ruleset = cutOffRuleset(['10.213.7.3', '10.213.7.4']);
    expect(ruleset).toMatch(/^add table inet session_lab\ndelete table inet session_lab\ntable inet session_lab \{/);
    expect(ruleset).toContain('elements = { 10.213.7.3, 10.213.7.4 }');
    expect(ruleset).toContain('ip saddr @cut_off drop');
    expect(ruleset).toContain('ip daddr @cut_off drop');
    expect(cutOffRuleset([])).not.toContain('elements');
  });
});
