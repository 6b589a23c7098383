// The console's virtual devices: each a ShopDevice with its own cookie jar, driven by buttons.
// Their requests go through nginx like anyone's, so they show in the lanes like anyone's.
import type { Lab } from '../../runner/lab.ts';
import type { ShopOp } from '../shop/actions.ts';
import { shopDevice, type ShopDevice } from '../shop/device.ts';
import { labPassword } from '../shop/steps.ts';

export const deviceVerbs = ['add', 'view', 'login', 'logout'] as const;
export type DeviceVerb = (typeof deviceVerbs)[number];

export interface DeviceResult {
  name: string;
  verb: DeviceVerb;
  status: number | undefined;
  node: string | undefined;
  session: string | undefined;
  /** What the answer showed, in a few words ("cart apple×2", "user device-1"). */
  seen: string;
}

const skus = ['apple', 'bread', 'cheese', 'dates', 'eggs', 'figs'];

export class ConsoleDevices {
  private readonly devices = new Map<string, { device: ShopDevice; adds: number }>();
  private readonly user = `console-${Date.now().toString(36)}`;
  private signedUp = false;

  constructor(private readonly lab: Lab) {}

  /** A new device, named device-1, device-2, …; returns its name. */
  add(): string {
    const name = `device-${this.devices.size + 1}`;
    this.devices.set(name, { device: shopDevice(this.lab, name), adds: 0 });
    return name;
  }

  list(): string[] {
    return [...this.devices.keys()];
  }

  /** Does verb with the device; undefined when there is no such device. */
  async act(name: string, verb: DeviceVerb): Promise<DeviceResult | undefined> {
    const entry = this.devices.get(name);
    if (!entry) return undefined;
    const { device } = entry;
    let op: ShopOp;
    switch (verb) {
      case 'add':
        op = await device.add(skus[entry.adds++ % skus.length]!);
        break;
      case 'view':
        op = await device.viewCart();
        break;
      case 'login':
        // One user for every device of the console (signed up by the first to log in): logging in
        // on two devices shows one cart on both.
        op = await (this.signedUp ? device.login(this.user, labPassword) : device.signup(this.user, labPassword));
        if (op.status === 409) op = await device.login(this.user, labPassword);
        if (op.type === 'ok') this.signedUp = true;
        break;
      case 'logout':
        op = await device.logout();
        break;
    }
    return { name, verb, status: op.status, node: op.servedBy, session: op.sessionState, seen: op.seen ?? op.error ?? '' };
  }

  async close(): Promise<void> {
    await this.lab.close();
  }
}
