/**
 * The Responses API's stored items, as far as the simulator needs them. The API stores every output item
 * (`store` defaults to true) and reads an `item_reference` input item as the item it names, so a client may
 * send back its earlier function calls by id alone (the AI SDK 5 does). The simulator remembers the
 * function_call items it issued, the most recent few thousand, process-wide: each simulator's ids carry its
 * own random prefix, so simulators in one process never read each other's items.
 */
type Item = Record<string, unknown>;

const LIMIT = 4000;
const items = new Map<string, Item>();

export function rememberItem(item: Item) {
  if (typeof item.id !== "string") return;
  items.set(item.id, item);
  if (items.size > LIMIT) items.delete(items.keys().next().value as string);
}

/** The input item as the API reads it: an `item_reference` to a remembered item is that item. */
export function resolveItem(item: Item): Item {
  if (item.type !== "item_reference" || typeof item.id !== "string") return item;
  return items.get(item.id) ?? item;
}
