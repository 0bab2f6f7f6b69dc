// A map of lists, grown one value at a time: the index every "group these by name" step builds.

/** Appends `value` to the list under `key`, starting the list when there is none. */
export function addTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
