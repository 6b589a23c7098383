/** A fault asked of a backend that cannot do it. */
export class MissingCapabilityError extends Error {
  override name = 'MissingCapabilityError';
}

export function missingCapability(fault: string, service: string): MissingCapabilityError {
  return new MissingCapabilityError(`this backend cannot ${fault} ${service}`);
}
