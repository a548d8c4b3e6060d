/** Type-level proof that a zod schema and an SDK interface describe the same JSON. */

/** Both sides with every property and array read-only, so only the shapes are compared. */
type ReadonlyDeep<T> = T extends readonly (infer U)[]
  ? readonly ReadonlyDeep<U>[]
  : T extends object
    ? { readonly [K in keyof T]: ReadonlyDeep<T[K]> }
    : T;

/**
 * `true` when `A` and `B` are the same type once read-only modifiers are set aside; otherwise
 * `false`. Stricter than mutual assignability: an extra optional field on one side fails too.
 *
 * @example
 * ```ts
 * type Proof = Assert<SameShape<z.output<typeof kpiReadingSchema>, KpiReading>>;
 * ```
 */
export type SameShape<A, B> =
  (<T>() => T extends ReadonlyDeep<A> ? 1 : 2) extends <T>() => T extends ReadonlyDeep<B> ? 1 : 2
    ? true
    : false;

/**
 * Fails to compile unless `T` is `true`; the error points at the schema that drifted.
 *
 * @example
 * ```ts
 * export type TargetHealthProof = Assert<SameShape<z.output<typeof targetHealthSchema>, TargetHealth>>;
 * ```
 */
export type Assert<T extends true> = T;
