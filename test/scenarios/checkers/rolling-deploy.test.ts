import { describe, expect, it } from 'vitest';
import { rollingDeployVerdict } from '../../../scenarios/shop/checkers/rolling-deploy.ts';
import { add, fault, history, viewCart } from '../../support/histories.ts';

const redeploy = (service: string) => ({ ...fault('redeploy', service), args: { service, changed: ['SESSION_CART_SHAPE'] } });

describe('rollingDeployVerdict', () => {
  describe('when the old version answers 500 on a session the new one wrote', () => {
    it('says deploy-broke-sessions and points at the 500', () => {
      const verdict = rollingDeployVerdict(
        history(add('apple', 'server_1', [['apple', 1]]), redeploy('server_1'), add('bread', 'server_1', [['apple', 1], ['bread', 1]]), viewCart('server_2', [], { type: 'fail', status: 500, cart: undefined })),
      );
      expect(verdict.observed).toBe('deploy-broke-sessions');
      expect(verdict.firstBad).toMatchObject({ index: 3, seen: '500' });
      expect(verdict.metrics).toMatchObject({ serverErrors: 1, lostAdds: 0 });
    });
  });

  describe('when the new version reads an old session as an empty cart', () => {
    it('says deploy-broke-sessions and counts the adds the last cart lacks', () => {
      const verdict = rollingDeployVerdict(history(add('apple', 'server_1', [['apple', 1]]), redeploy('server_1'), add('bread', 'server_1', [['bread', 1]]), viewCart('server_2', [['bread', 1]])));
      expect(verdict.observed).toBe('deploy-broke-sessions');
      expect(verdict.firstBad).toMatchObject({ index: 2, seen: 'cart bread×1' });
      expect(verdict.metrics).toMatchObject({ serverErrors: 0, lostAdds: 1 });
      expect(verdict.lostWrites).toEqual([0]);
    });
  });

  describe('when every answer was right and each node answered after its redeploy', () => {
    it('says deploy-kept-sessions', () => {
      const verdict = rollingDeployVerdict(
        history(add('apple', 'server_1', [['apple', 1]]), redeploy('server_1'), viewCart('server_1', [['apple', 1]]), redeploy('server_2'), viewCart('server_2', [['apple', 1]])),
      );
      expect(verdict.observed).toBe('deploy-kept-sessions');
    });
  });

  describe('when a redeployed node never answered afterwards', () => {
    it('says inconclusive', () => {
      const verdict = rollingDeployVerdict(history(add('apple', 'server_1', [['apple', 1]]), redeploy('server_2'), viewCart('server_1', [['apple', 1]])));
      expect(verdict.observed).toBe('inconclusive');
    });
  });
});
