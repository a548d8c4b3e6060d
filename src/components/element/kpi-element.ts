/** The small reactive base every element stands on: Lit's templates, rendered on a microtask after a property changes. */
import { render, type TemplateResult } from 'lit/html.js';

/** How one property is declared in `static properties`. */
export interface PropertyOptions {
  /** `Boolean`: the attribute's presence is the value. Default a string, `undefined` when absent. */
  readonly type?: BooleanConstructor;
  /** Written back to its attribute after each change. */
  readonly reflect?: boolean;
  /** `false` for internal state: a change redraws, but no attribute sets it. */
  readonly attribute?: false;
  /** Marks internal state for the elements manifest; give `attribute: false` with it. */
  readonly state?: true;
}

/** The properties a class declares, by name; the attribute is the name in lower case. */
export type PropertyDeclarations = Readonly<Record<string, PropertyOptions>>;

/** A helper that hooks into an element's life (Lit's controller shape). */
export interface ReactiveController {
  hostConnected?(): void;
  hostDisconnected?(): void;
  /** Before each render, after `willUpdate`. */
  hostUpdate?(): void;
}

/** What a controller may ask of its element. */
export interface ReactiveControllerHost {
  addController(controller: ReactiveController): void;
  requestUpdate(): void;
  readonly updateComplete: Promise<boolean>;
}

/**
 * A custom element that redraws its `render()` template into its shadow root once per task
 * after a declared property changes or `requestUpdate()` is called, with its `styles` adopted.
 * It keeps the part of Lit's `ReactiveElement` the components use (attributes to properties,
 * reflection, controllers, `willUpdate`, `updated`, `updateComplete`) in a fraction of its
 * bytes; the templates are Lit's own, with its safety and Trusted Types policy. An attribute
 * removed restores the property's first value; a property set before the element upgraded is
 * kept.
 *
 * @example
 * ```ts
 * class HelloKpi extends KpiElement {
 *   static override styles = [css`p { margin: 0 }`];
 *   static override properties = { name: { reflect: true } };
 *   declare name: string | undefined;
 *   protected override render() {
 *     return html`<p>Hello ${this.name}</p>`;
 *   }
 * }
 * customElements.define('hello-kpi', HelloKpi);
 * ```
 */
export abstract class KpiElement extends HTMLElement implements ReactiveControllerHost {
  /** The style sheets adopted by every instance's shadow root. */
  static styles: readonly CSSStyleSheet[] = [];
  /** The reactive properties; see {@link PropertyOptions}. */
  static properties: PropertyDeclarations = {};

  /** Read once by `customElements.define`: makes each property an accessor, and names the attributes. */
  static get observedAttributes(): string[] {
    // biome-ignore lint/complexity/noThisInStatic: the class being defined (a subclass), not this base.
    return KpiElement.#declare(this);
  }

  static #declare(type: typeof KpiElement): string[] {
    const names: string[] = [];
    for (const [name, options] of Object.entries(type.properties)) {
      if (!Object.hasOwn(type.prototype, name)) {
        Object.defineProperty(type.prototype, name, {
          get(this: KpiElement) {
            return this.#values.get(name);
          },
          set(this: KpiElement, value: unknown) {
            this.#set(name, value);
          },
        });
      }
      if (options.attribute !== false) names.push(name.toLowerCase());
    }
    return names;
  }

  /** The shadow root the template is drawn into. */
  readonly renderRoot: ShadowRoot;
  /** True after the first render. */
  hasUpdated = false;

  readonly #values = new Map<string, unknown>();
  /** Each property's first value (its class field), which a removed attribute restores. */
  readonly #defaults = new Map<string, unknown>();
  /** Properties a page set on the element before it upgraded: applied at the first update. */
  readonly #early = new Map<string, unknown>();
  readonly #reflect = new Set<string>();
  readonly #controllers = new Set<ReactiveController>();
  /** After the first connection: an element never renders before it is on a page. */
  #settled = false;
  #pending = false;
  #complete: Promise<boolean> = Promise.resolve(true);
  #connect: (() => void) | undefined;
  readonly #connected = new Promise<void>((resolve) => {
    this.#connect = resolve;
  });

  constructor() {
    super();
    this.renderRoot = this.attachShadow({ mode: 'open' });
    this.renderRoot.adoptedStyleSheets = [...(this.constructor as typeof KpiElement).styles];
    for (const name of Object.keys((this.constructor as typeof KpiElement).properties)) {
      if (Object.hasOwn(this, name)) {
        this.#early.set(name, (this as Record<string, unknown>)[name]);
        delete (this as Record<string, unknown>)[name];
      }
    }
    this.requestUpdate();
  }

  /** Resolves once no update is pending, `true` when none was requested meanwhile. */
  get updateComplete(): Promise<boolean> {
    return this.#complete;
  }

  addController(controller: ReactiveController): void {
    this.#controllers.add(controller);
    if (this.isConnected) controller.hostConnected?.();
  }

  connectedCallback(): void {
    this.#settled = true;
    this.#connect?.();
    for (const controller of this.#controllers) controller.hostConnected?.();
  }

  disconnectedCallback(): void {
    for (const controller of this.#controllers) controller.hostDisconnected?.();
  }

  attributeChangedCallback(attribute: string, _old: string | null, value: string | null): void {
    this.#settled = true;
    const properties = (this.constructor as typeof KpiElement).properties;
    const name = Object.keys(properties).find((n) => n.toLowerCase() === attribute);
    if (name === undefined) return;
    (this as Record<string, unknown>)[name] =
      properties[name].type === Boolean ? value !== null : (value ?? this.#defaults.get(name));
  }

  /** Schedules a render; many calls in one task make one. */
  requestUpdate(): void {
    if (this.#pending) return;
    this.#pending = true;
    this.#complete = this.#update();
  }

  /** Before each render, to derive state from properties; changes made here need no new update. */
  protected willUpdate(): void {}

  /** After each render, to work on what it drew. */
  protected updated(): void {}

  /** The element's content. */
  protected abstract render(): TemplateResult;

  #set(name: string, value: unknown): void {
    if (!this.#settled && !this.#defaults.has(name)) this.#defaults.set(name, value);
    if (Object.is(this.#values.get(name), value)) return;
    this.#values.set(name, value);
    if ((this.constructor as typeof KpiElement).properties[name].reflect) this.#reflect.add(name);
    this.requestUpdate();
  }

  async #update(): Promise<boolean> {
    await this.#connected;
    try {
      for (const [name, value] of this.#early) (this as Record<string, unknown>)[name] = value;
      this.#early.clear();
      this.willUpdate();
      for (const controller of this.#controllers) controller.hostUpdate?.();
      for (const name of this.#reflect) {
        const value = this.#values.get(name);
        const attribute = name.toLowerCase();
        if (value === true) this.setAttribute(attribute, '');
        else if (value === false || value == null) this.removeAttribute(attribute);
        else this.setAttribute(attribute, String(value));
      }
      this.#reflect.clear();
      render(this.render(), this.renderRoot, { host: this });
    } finally {
      this.#pending = false;
    }
    this.hasUpdated = true;
    this.updated();
    return !this.#pending;
  }
}
