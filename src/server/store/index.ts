/** The head store: what the scraper appends to and the PromQL engine reads. */
export { type CompiledMatcher, compileMatcher } from '../model/label-matcher.js';
export { createHead, type HeadOptions, MemoryHead, type MemoryHeadStats } from './memory-head.js';
export type { Sample } from './series-samples.js';
export type {
  AppendResult,
  HeadReader,
  HeadStats,
  HeadStore,
  SampleRun,
  SeriesRef,
  SeriesView,
} from './types.js';
