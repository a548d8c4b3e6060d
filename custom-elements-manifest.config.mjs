/** The custom-elements manifest, generated from the components' class JSDoc into dist/. */
export default {
  globs: ['src/components/**/*.ts'],
  exclude: [
    'src/components/**/*.test.ts',
    'src/components/**/*.fixture.ts',
    'src/components/**/*.d.ts',
    // The elements' base, as Lit's was: its own members are not the elements' public contract.
    'src/components/element/**',
  ],
  outdir: 'dist',
  litelement: true,
};
