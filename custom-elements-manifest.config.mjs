/** The custom-elements manifest, generated from the components' class JSDoc into dist/. */
export default {
  globs: ['src/components/**/*.ts'],
  exclude: [
    'src/components/**/*.test.ts',
    'src/components/**/*.fixture.ts',
    'src/components/**/*.d.ts',
  ],
  outdir: 'dist',
  litelement: true,
};
