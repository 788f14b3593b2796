/**
 * Assigns an object member the way JSON.parse does: `__proto__` becomes an own property instead of
 * replacing the prototype, so recovered values match JSON.parse exactly.
 */
export function setKey(object: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
  else object[key] = value;
}
