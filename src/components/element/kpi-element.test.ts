/** Browser tests of the elements' reactive base: attributes, properties, reflection, batching, controllers, styles. */
import { expect, fixture, html as fixtureHtml } from '@open-wc/testing';
import { html, type TemplateResult } from 'lit/html.js';
import { css } from './css.js';
import { KpiElement, type PropertyDeclarations, type ReactiveController } from './kpi-element.js';

/** A test element with one of each kind of property, counting its renders. */
class ProbeElement extends KpiElement {
  static override styles = [css`p { margin: 7px }`];
  static override properties: PropertyDeclarations = {
    name: { reflect: true },
    loud: { type: Boolean, reflect: true },
    note: {},
    count: { state: true, attribute: false },
  };
  name = 'nobody';
  loud = false;
  declare note: string | undefined;
  count = 0;
  renders = 0;
  updates = 0;

  protected override updated(): void {
    this.updates++;
  }

  protected override render(): TemplateResult {
    this.renders++;
    return html`<p>${this.loud ? this.name.toUpperCase() : this.name} ${this.note ?? ''} ${this.count}</p>`;
  }
}
customElements.define('probe-element', ProbeElement);

const text = (el: ProbeElement) =>
  el.shadowRoot!.querySelector('p')!.textContent!.replace(/\s+/g, ' ').trim();

describe('KpiElement', () => {
  it('reads its attributes into properties and draws them once', async () => {
    const el = await fixture<ProbeElement>(
      fixtureHtml`<probe-element name="ana" loud note="hi"></probe-element>`,
    );
    expect([el.name, el.loud, el.note]).to.deep.equal(['ana', true, 'hi']);
    expect(text(el)).to.equal('ANA hi 0');
    expect(el.renders).to.equal(1);
  });

  it('batches changes made in one task into one render, and reflects them', async () => {
    const el = await fixture<ProbeElement>(fixtureHtml`<probe-element></probe-element>`);
    el.name = 'bo';
    el.loud = true;
    el.count = 3;
    el.note = 'x';
    expect(el.renders).to.equal(1);
    expect(await el.updateComplete).to.equal(true);
    expect(el.renders).to.equal(2);
    expect(text(el)).to.equal('BO x 3');
    expect(el.getAttribute('name')).to.equal('bo');
    expect(el.hasAttribute('loud')).to.equal(true);
    expect(el.hasAttribute('note')).to.equal(false);
    expect(el.hasAttribute('count')).to.equal(false);
    el.loud = false;
    await el.updateComplete;
    expect(el.hasAttribute('loud')).to.equal(false);
  });

  it('does not redraw for a value it already has', async () => {
    const el = await fixture<ProbeElement>(fixtureHtml`<probe-element name="a"></probe-element>`);
    el.name = 'a';
    await el.updateComplete;
    expect(el.renders).to.equal(1);
  });

  it('gives a property its first value back when its attribute is removed', async () => {
    const el = await fixture<ProbeElement>(
      fixtureHtml`<probe-element name="ana" note="hi" loud></probe-element>`,
    );
    el.removeAttribute('name');
    el.removeAttribute('note');
    el.removeAttribute('loud');
    await el.updateComplete;
    expect([el.name, el.note, el.loud]).to.deep.equal(['nobody', undefined, false]);
  });

  it('keeps properties a page set before the element was defined', async () => {
    const early = document.createElement('early-probe') as ProbeElement;
    early.name = 'set early';
    early.count = 5;
    document.body.append(early);
    customElements.define('early-probe', class extends ProbeElement {});
    await early.updateComplete;
    expect(text(early)).to.equal('set early 5');
    early.remove();
  });

  it('draws nothing before it is connected', async () => {
    const el = document.createElement('probe-element') as ProbeElement;
    el.name = 'waiting';
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(el.renders).to.equal(0);
    document.body.append(el);
    await el.updateComplete;
    expect(el.renders).to.equal(1);
    expect(el.getAttribute('name')).to.equal('waiting');
    el.remove();
  });

  it('tells its controllers when it connects, updates and leaves', async () => {
    const el = document.createElement('probe-element') as ProbeElement;
    const calls: string[] = [];
    const controller: ReactiveController = {
      hostConnected: () => calls.push('connected'),
      hostUpdate: () => calls.push(`update ${el.renders}`),
      hostDisconnected: () => calls.push('disconnected'),
    };
    el.addController(controller);
    document.body.append(el);
    await el.updateComplete;
    el.remove();
    expect(calls).to.deep.equal(['connected', 'update 0', 'disconnected']);
    // A controller added while connected hears of it at once.
    document.body.append(el);
    const late: string[] = [];
    el.addController({ hostConnected: () => late.push('connected') });
    expect(late).to.deep.equal(['connected']);
    el.remove();
  });

  it('calls updated after each render, where a change asks for the next one', async () => {
    const el = await fixture<ProbeElement>(fixtureHtml`<probe-element></probe-element>`);
    expect(el.updates).to.equal(1);
    el.requestUpdate();
    await el.updateComplete;
    expect(el.updates).to.equal(2);
  });

  it('adopts its style sheets in its shadow root', async () => {
    const el = await fixture<ProbeElement>(fixtureHtml`<probe-element></probe-element>`);
    expect(getComputedStyle(el.shadowRoot!.querySelector('p')!).marginTop).to.equal('7px');
    expect(el.shadowRoot!.querySelector('style')).to.equal(null);
  });
});
