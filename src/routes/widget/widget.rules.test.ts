import { describe, expect, it } from 'vitest';
import {
  checkColours,
  contrastRatio,
  DEFAULT_PRIMARY,
  DEFAULT_TEXT,
  iframeSnippet,
  parseHeight,
  parseHexColour,
  ratioText,
  widgetQuery,
  type WidgetOptions
} from './widget.rules';

describe('parseHexColour', () => {
  it('accepts #rgb and #rrggbb, with or without #, and normalises to lowercase #rrggbb', () => {
    expect(parseHexColour('#1F5F3A')).toBe('#1f5f3a');
    expect(parseHexColour('1f5f3a')).toBe('#1f5f3a');
    expect(parseHexColour('#abc')).toBe('#aabbcc');
    expect(parseHexColour(' 000 ')).toBe('#000000');
  });

  it('refuses anything that is not strictly a hex colour (nothing reaches a style as typed)', () => {
    for (const bad of ['', 'red', '#12345', '#1234567', '#ggg', 'url(x)', '#fff;background:url(x)', '#fff}', 'rgb(0,0,0)', null, undefined]) {
      expect(parseHexColour(bad), String(bad)).toBeNull();
    }
  });
});

describe('contrast', () => {
  it('computes WCAG ratios: black on white is 21, a colour on itself is 1', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#ffffff', '#000000')).toBeCloseTo(21, 5);
    expect(contrastRatio('#777777', '#777777')).toBe(1);
    // #767676 is the classic lightest grey passing AA on white (4.54:1).
    expect(contrastRatio('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
  });

  it('shows a ratio rounded down, so a failing one never reads 4.50', () => {
    expect(ratioText(4.4999)).toBe('4.49');
    expect(ratioText(21)).toBe('21.00');
  });
});

describe('checkColours', () => {
  it("keeps Glane's colours by default, and they pass AA", () => {
    expect(checkColours(undefined, undefined)).toEqual({ primary: DEFAULT_PRIMARY, text: DEFAULT_TEXT, problems: [] });
  });

  it('accepts a readable pair', () => {
    expect(checkColours('#0b57d0', 'fff')).toEqual({ primary: '#0b57d0', text: '#ffffff', problems: [] });
  });

  it("refuses a primary colour unreadable on white, with the ratio, and falls back to Glane's colours", () => {
    const out = checkColours('#ffcc00', '#000000');
    expect(out.primary).toBe(DEFAULT_PRIMARY);
    expect(out.text).toBe(DEFAULT_TEXT);
    expect(out.problems).toHaveLength(1);
    const problem = out.problems[0];
    expect(problem?.kind).toBe('primaryOnWhite');
    expect(problem && 'ratio' in problem ? problem.ratio : 0).toBeCloseTo(contrastRatio('#ffcc00', '#ffffff'), 5);
    expect(problem && 'ratio' in problem ? problem.ratio : 99).toBeLessThan(4.5);
  });

  it('refuses a text colour unreadable on the primary colour', () => {
    const out = checkColours('#0b57d0', '#0000ff');
    expect(out.problems.map((p) => p.kind)).toEqual(['textOnPrimary']);
    expect(out.primary).toBe(DEFAULT_PRIMARY);
  });

  it('names an invalid colour', () => {
    expect(checkColours('tomato', '#fff').problems).toEqual([{ kind: 'invalidPrimary' }]);
    expect(checkColours('#1f5f3a', 'expression(alert(1))').problems).toEqual([{ kind: 'invalidText' }]);
  });
});

describe('widget URL and snippet', () => {
  const base: WidgetOptions = {
    lat: '',
    lng: '',
    radiusKm: '',
    commune: '',
    categories: [],
    publics: [],
    openNow: false,
    map: false,
    primary: DEFAULT_PRIMARY,
    text: DEFAULT_TEXT,
    locale: ''
  };

  it('writes the area, the filters and only the colours that differ from Glane’s', () => {
    expect(widgetQuery({ ...base, commune: '59350' })).toBe('commune=59350');
    expect(
      widgetQuery({
        ...base,
        lat: '50.6405',
        lng: '3.0752',
        radiusKm: '5',
        commune: '59350',
        categories: ['colis-alimentaire', 'epicerie-solidaire'],
        publics: ['familles-enfants'],
        openNow: true,
        map: true,
        primary: '#0b57d0',
        locale: 'en'
      })
    ).toBe(
      'lat=50.6405&lng=3.0752&radiusKm=5&categories=colis-alimentaire%2Cepicerie-solidaire&publics=familles-enfants&ouvert=1&carte=1&couleur=0b57d0&langue=en'
    );
  });

  it('gives a full-width, lazy iframe with a title, every attribute escaped', () => {
    const snippet = iframeSnippet('https://glane.example/widget?a=1&b="x"', 'Annuaire <Glane>', 640);
    expect(snippet).toBe(
      '<iframe src="https://glane.example/widget?a=1&amp;b=&quot;x&quot;" title="Annuaire &lt;Glane&gt;" width="100%" height="640" loading="lazy" style="border:0;max-width:100%"></iframe>'
    );
  });

  it('keeps the height within bounds', () => {
    expect(parseHeight('800')).toBe(800);
    expect(parseHeight('10')).toBe(300);
    expect(parseHeight('99999')).toBe(1500);
    expect(parseHeight('abc')).toBe(600);
    expect(parseHeight(null)).toBe(600);
  });
});
