/** Query results in the shape of Prometheus's HTTP API, with times in ms and values as numbers. */
import type { Labels } from '../model/model.js';

/** One point: time in ms, value. */
export type Point = readonly [tMs: number, value: number];

export interface InstantSample {
  readonly metric: Labels;
  readonly point: Point;
}

export interface RangeSeries {
  readonly metric: Labels;
  readonly points: Point[];
}

export type QueryResult =
  | { readonly resultType: 'vector'; readonly result: InstantSample[] }
  | { readonly resultType: 'matrix'; readonly result: RangeSeries[] }
  | { readonly resultType: 'scalar'; readonly result: Point }
  | { readonly resultType: 'string'; readonly result: readonly [tMs: number, value: string] };
