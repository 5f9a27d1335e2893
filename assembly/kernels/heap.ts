/** First byte past the static data: the JS allocator (src/memory.ts) owns everything above it. */
export function heap_base(): usize {
  return __heap_base;
}
