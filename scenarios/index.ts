import type { Scenario } from '../runner/scenario.ts';
import type { ShopOp } from './shop/actions.ts';
import { atomicCartPostgres } from './atomic-cart-postgres.ts';
import { atomicCartRedis } from './atomic-cart-redis.ts';
import { cookieLostUpdate } from './cookie-lost-update.ts';
import { cookieReplay } from './cookie-replay.ts';
import { cookieRoundRobin } from './cookie-round-robin.ts';
import { cookieSize } from './cookie-size.ts';
import { fileRestart } from './file-restart.ts';
import { fileRoundRobin } from './file-round-robin.ts';
import { killUnderLoad, killUnderLoadPostgres } from './kill-under-load.ts';
import { loginMultiDevice } from './login-multi-device.ts';
import { lostUpdate } from './lost-update.ts';
import { logoutAll } from './logout-all.ts';
import { logoutResurrection, logoutResurrectionPostgres, logoutStaysEnded, logoutStaysEndedPostgres, logoutStaysEndedTouch } from './logout-resurrection.ts';
import { loginDropsCart, loginKeepsCart, loginKeepsCartPostgres } from './login-keeps-cart.ts';
import { memoryGrowth } from './memory-growth.ts';
import { memoryRestart } from './memory-restart.ts';
import { multiDevice } from './multi-device.ts';
import { postgresOutage } from './postgres-outage.ts';
import { postgresPartition } from './postgres-partition.ts';
import { nodeStorePartition, nodeStorePartitionNextUpstream } from './node-store-partition.ts';
import { clockSkewCookie, clockSkewPostgres, clockSkewRedis, clockSkewToken } from './clock-skew.ts';
import { postgresShared } from './postgres-shared.ts';
import { probeSessionFlood, probeSessionFloodRedis, probeSessionFloodRemedy } from './probe-session-flood.ts';
import { redisCrashAof, redisCrashRdb } from './redis-crash.ts';
import { redirectAfterSave, redirectBeforeSave, redirectBeforeSaveRedis } from './redirect-before-save.ts';
import { redisFailover, redisFailoverWait } from './redis-failover.ts';
import { redisClusterShardFailover } from './redis-cluster.ts';
import { redisSplitBrain, redisSplitBrainMinReplicas, redisSplitBrainWait } from './redis-split-brain.ts';
import { redisRestart, redisRestartAof } from './redis-restart.ts';
import { redisShared } from './redis-shared.ts';
import { secretMismatch } from './secret-mismatch.ts';
import { redisEviction, redisEvictionNoeviction, redisEvictionSeparate, redisEvictionVolatileLru } from './redis-eviction.ts';
import { rollingDeploySchema, rollingDeployTolerant } from './rolling-deploy.ts';
import { poolExhaustion, poolExhaustionSized } from './pool-exhaustion.ts';
import { scaleInDrained, scaleInHard } from './scale-in.ts';
import { secretRotation } from './secret-rotation.ts';
import { secureCookieProxy } from './secure-cookie-proxy.ts';
import { sessionFixation } from './session-fixation.ts';
import { stickyCookie } from './sticky-cookie.ts';
import { storeOutage } from './store-outage.ts';
import { storeTtlOutlivesCookie, storeTtlVsCookie, storeTtlWithCookie } from './store-ttl-vs-cookie.ts';
import { stickyScaleOut, stickyScaleOutIp } from './sticky-scale-out.ts';
import { stickyFailover } from './sticky-failover.ts';
import { stickyIp } from './sticky-ip.ts';
import { stickyNat } from './sticky-nat.ts';
import { tokenExpiry } from './token-expiry.ts';

/** The catalog: the article's story first, then concurrency, affinity, node and store failure, then the session in the cookie. */
export const scenarios: readonly Scenario<ShopOp>[] = [
  memoryRestart,
  memoryGrowth,
  fileRestart,
  fileRoundRobin,
  multiDevice,
  redisShared,
  postgresShared,
  loginMultiDevice,
  logoutAll,
  tokenExpiry,
  sessionFixation,
  loginKeepsCart,
  loginKeepsCartPostgres,
  loginDropsCart,
  probeSessionFlood,
  probeSessionFloodRedis,
  probeSessionFloodRemedy,
  logoutResurrection,
  logoutResurrectionPostgres,
  logoutStaysEnded,
  logoutStaysEndedTouch,
  logoutStaysEndedPostgres,
  redirectBeforeSave,
  redirectBeforeSaveRedis,
  redirectAfterSave,
  storeTtlVsCookie,
  storeTtlOutlivesCookie,
  storeTtlWithCookie,
  lostUpdate,
  atomicCartRedis,
  atomicCartPostgres,
  stickyIp,
  stickyNat,
  stickyCookie,
  stickyFailover,
  stickyScaleOut,
  stickyScaleOutIp,
  killUnderLoad,
  killUnderLoadPostgres,
  scaleInDrained,
  scaleInHard,
  poolExhaustion,
  poolExhaustionSized,
  redisRestart,
  redisRestartAof,
  redisCrashRdb,
  redisCrashAof,
  redisEviction,
  redisEvictionVolatileLru,
  redisEvictionNoeviction,
  redisEvictionSeparate,
  storeOutage,
  postgresOutage,
  postgresPartition,
  nodeStorePartition,
  nodeStorePartitionNextUpstream,
  clockSkewPostgres,
  clockSkewCookie,
  clockSkewRedis,
  clockSkewToken,
  redisFailover,
  redisFailoverWait,
  redisSplitBrain,
  redisSplitBrainMinReplicas,
  redisSplitBrainWait,
  redisClusterShardFailover,
  secretMismatch,
  secretRotation,
  rollingDeploySchema,
  rollingDeployTolerant,
  secureCookieProxy,
  cookieRoundRobin,
  cookieReplay,
  cookieSize,
  cookieLostUpdate,
];
