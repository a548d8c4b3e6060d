/** The Mocha globals the browser tests use (@web/test-runner runs them under Mocha). */

type MochaBody = (this: unknown) => void | Promise<void>;

declare function describe(title: string, body: () => void): void;
declare function it(title: string, body: MochaBody): void;
declare function beforeEach(body: MochaBody): void;
declare function afterEach(body: MochaBody): void;
