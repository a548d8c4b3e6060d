/** Which values a label may take later: same form, same vocabulary, same case. */
import { describe, expect, it } from 'vitest';
import type { MatchType } from '../model/model.js';
import { couldMatchLater, valueForm } from './label-value-forms.js';

const m = (type: MatchType, value: string) => ({ name: 'x', type, value });

describe('couldMatchLater', () => {
  it('admits a value of the form already seen: codes, classes, longer numbers by equality', () => {
    expect(couldMatchLater(m('=~', '5..'), ['200', '404'])).toBe(true);
    expect(couldMatchLater(m('=', '503'), ['200'])).toBe(true);
    expect(couldMatchLater(m('=', '5xx'), ['2xx', '4xx'])).toBe(true);
    expect(couldMatchLater(m('=', '20270115'), ['20261231'])).toBe(true);
    expect(valueForm('v1.2-5xx')).toBe('v0.0-0xx');
  });

  it('refuses a value of another form or case', () => {
    expect(couldMatchLater(m('=', '500'), ['2xx', '4xx'])).toBe(false);
    expect(couldMatchLater(m('=~', '5[0-9]{2}'), ['2xx'])).toBe(false);
    expect(couldMatchLater(m('=', 'GET'), ['get', 'post'])).toBe(false);
    expect(couldMatchLater(m('=', 'efiel'), ['efile', 'status'])).toBe(false);
    expect(couldMatchLater(m('=', '5XX'), ['2xx'])).toBe(false);
  });

  it('admits the rest of a closed vocabulary, in the spelling seen', () => {
    expect(couldMatchLater(m('=', 'DELETE'), ['GET'])).toBe(true);
    expect(couldMatchLater(m('=', 'delete'), ['get'])).toBe(true);
    expect(couldMatchLater(m('=', 'SERVER_ERROR'), ['SUCCESS', 'CLIENT_ERROR'])).toBe(true);
    expect(couldMatchLater(m('=', 'false'), ['true'])).toBe(true);
  });

  it('gives a regex the benefit of the doubt over values with many digits', () => {
    expect(couldMatchLater(m('=~', 'abc'), ['1234567'])).toBe(true);
    expect(couldMatchLater(m('=', 'abc'), ['1234567'])).toBe(false);
  });
});
