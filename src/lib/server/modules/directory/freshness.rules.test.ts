import { describe, expect, it } from 'vitest';
import {
  canStartCampaign,
  expiryFor,
  hashToken,
  isLinkLive,
  isWellFormedToken,
  linkActorLabel,
  newToken,
  suggestCampaignName
} from './freshness.rules.js';

describe('freshness rules', () => {
  it('lets platform admins and CCAS owners/managers start a campaign, nobody else', () => {
    expect(canStartCampaign({ isPlatformAdmin: true, ccasRoles: [] })).toBe(true);
    expect(canStartCampaign({ isPlatformAdmin: false, ccasRoles: ['owner'] })).toBe(true);
    expect(canStartCampaign({ isPlatformAdmin: false, ccasRoles: ['member', 'manager'] })).toBe(true);
    expect(canStartCampaign({ isPlatformAdmin: false, ccasRoles: ['member'] })).toBe(false);
    expect(canStartCampaign({ isPlatformAdmin: false, ccasRoles: [] })).toBe(false);
  });

  it('makes well-formed random tokens and stores only a sha256', () => {
    const a = newToken();
    expect(isWellFormedToken(a)).toBe(true);
    expect(a).not.toBe(newToken());
    expect(hashToken(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(a)).not.toContain(a);
    expect(isWellFormedToken('short')).toBe(false);
    expect(isWellFormedToken(`${a.slice(0, 42)}!`)).toBe(false);
  });

  it('expires links after the given days, strictly', () => {
    const now = new Date('2026-11-29T10:00:00.000Z');
    const exp = expiryFor(now, 30);
    expect(exp).toBe('2026-12-29T10:00:00.000Z');
    expect(isLinkLive(exp, new Date('2026-12-29T09:59:59.999Z'))).toBe(true);
    expect(isLinkLive(exp, new Date(exp))).toBe(false);
  });

  it('suggests a campaign name from the season in Paris (winter runs from December into the next year)', () => {
    expect(suggestCampaignName(new Date('2026-11-29T10:00:00.000Z'))).toBe('2026-automne');
    expect(suggestCampaignName(new Date('2026-04-02T10:00:00.000Z'))).toBe('2026-printemps');
    expect(suggestCampaignName(new Date('2026-07-14T10:00:00.000Z'))).toBe('2026-ete');
    expect(suggestCampaignName(new Date('2026-12-10T10:00:00.000Z'))).toBe('2026-hiver');
    expect(suggestCampaignName(new Date('2027-02-10T10:00:00.000Z'))).toBe('2026-hiver');
    // 31 August 23:30 UTC is already 1 September in Paris.
    expect(suggestCampaignName(new Date('2026-08-31T23:30:00.000Z'))).toBe('2026-automne');
  });

  it('labels revisions with the campaign', () => {
    expect(linkActorLabel('2026-automne')).toBe('lien de mise à jour (campagne 2026-automne)');
  });
});
