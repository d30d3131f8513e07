import { createHash } from 'node:crypto';
import type { DonorKind } from '../../schemas/organisations.js';
import type { InvitationTable, MembershipTable, OrganisationTable, UserTable } from '../db/schema.js';
import { sha256 } from '../modules/accounts/accounts.rules.js';
import { slugify } from '../modules/organisations/organisations.rules.js';
import { mulberry32 } from '../random.js';

/**
 * The demo territory as pure data: a fictional town east of Lille, its CCAS, five associations of
 * national networks, a dozen donors of each kind and the accounts that act for them. No I/O: the
 * same seed always gives the same rows, byte for byte (ids, names, coordinates, SIRETs, times), so
 * tests, screenshots and the README can name them. `demo.ts` writes these rows to the database.
 *
 * Everything here is invented: the town and its INSEE code do not exist, SIRENs start with `000`
 * (INSEE never issues those), phone numbers are in ARCEP's ranges reserved for fiction, and every
 * email is at `demo.glane.localhost` (`.localhost` is reserved: no mail can ever be delivered).
 */

/** The default seed: `npm start` and `npm run seed` load this territory. */
export const DEMO_SEED = 2026;

/** The shared password of every demo account (documented in the README). */
export const DEMO_PASSWORD = 'glane-demo-2026';

/** Domain of every demo email address (reserved TLD: nothing is ever delivered). */
export const DEMO_EMAIL_DOMAIN = 'demo.glane.localhost';

/** Creation time of every demo row (fixed, so loads are reproducible; rows are staggered by minutes). */
export const DEMO_CREATED_AT = '2026-01-15T09:00:00.000Z';

/** The pending invitation's expiry: far away, so the documented link keeps working. */
export const DEMO_INVITATION_EXPIRES_AT = '2099-12-31T23:59:59.000Z';

/** The fictional town. */
export const DEMO_TOWN = {
  name: 'Glaneville-en-Barœul',
  postalCode: '59999',
  /** Not a real commune code: the Nord's codes stop below 59700. */
  inseeCode: '59999',
  /** Town hall, where the CCAS sits. */
  centre: { lat: 50.6405, lng: 3.0752 }
} as const;

/** Every demo coordinate lies inside this box (a corner of the Lille metropolitan area). */
export const DEMO_BBOX = { minLat: 50.62, maxLat: 50.66, minLng: 3.03, maxLng: 3.12 } as const;

/**
 * The token of the one pending invitation (to the Secours populaire, role member). Derived, not
 * random, so it is the same on every install: `/invitations/<token>` works in every demo.
 */
export const DEMO_INVITATION_TOKEN = createHash('sha256').update('glane-demo:invitation:1').digest('base64url');

/**
 * A stable UUID-shaped id: sha1 of `glane-demo:<kind>:<n>`, with the version (5) and variant bits set
 * as RFC 4122 does for name-based UUIDs. Independent of the seed, so ids never move.
 */
export function demoId(kind: string, n: number): string {
  const h = createHash('sha1').update(`glane-demo:${kind}:${n}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}


/** The digit that completes `payload` into a Luhn-valid number (SIREN and SIRET use Luhn). */
export function luhnCheckDigit(payload: string): string {
  let sum = 0;
  // Once the check digit is appended, the payload's last digit sits at an odd position from the right: doubled.
  for (let i = 0; i < payload.length; i++) {
    let d = Number(payload[payload.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

/**
 * A fictional SIRET: a SIREN `000` + 5 random digits + Luhn key (no real company has a SIREN
 * starting with 0), then an establishment number `000k` + the key that makes all 14 digits pass Luhn.
 */
export function fictionalSiret(random: () => number): string {
  let body = '000';
  for (let i = 0; i < 5; i++) body += String(Math.floor(random() * 10));
  const siren = body + luhnCheckDigit(body);
  const nic = `000${1 + Math.floor(random() * 9)}`;
  return siren + nic + luhnCheckDigit(siren + nic);
}

const STREETS = [
  'rue des Glaneuses',
  'rue du Moulin-Blanc',
  'avenue des Tisserands',
  'rue de la Filature',
  'rue du Béguinage',
  'place du Marché-aux-Grains',
  'rue des Maraîchers',
  'chemin du Halage',
  'boulevard de la Marque',
  'rue des Courtils',
  'rue du Pont-de-Briques',
  'rue des Blanchisseurs',
  'allée des Tilleuls',
  'rue de la Cense',
  'rue du Fort-Vert',
  'rue des Écluses',
  'avenue du Beffroi',
  'rue des Dentellières',
  'rue du Vieux-Marché',
  'impasse des Houblons'
] as const;

/** The supermarket (over 400 m²: bound by the Garot law to offer its surplus). */
const SUPERMARKET = 'Supermarché Le Grand Marché';

const DONORS: Record<DonorKind, readonly string[]> = {
  commerce: [
    'Boulangerie Au Pain Doré',
    SUPERMARKET,
    'Boulangerie-Pâtisserie Lemaire',
    'Supérette du Béguinage',
    'Primeur Les Jardins de Flandre',
    'Boucherie-Charcuterie Vandamme',
    'Fromagerie La Cloche',
    'Épicerie fine Le Comptoir du Nord',
    "L'Épi Bio, épicerie biologique",
    'Poissonnerie La Marée du Nord',
    'Boulangerie L’Épi d’Or',
    'Supérette Le Panier du Quartier'
  ],
  restaurant: [
    'Brasserie du Beffroi',
    'Estaminet Le Vieux Glaneur',
    'Restaurant La Table de Flandre',
    'Pizzeria Bella Marque',
    'Friterie Chez Dédé',
    'Café-restaurant Le Tisserand',
    'Crêperie Ty Nord',
    "Traiteur Saveurs d'Orient",
    'Le Bistrot des Halles',
    'Restaurant végétarien Le Potager',
    'Brasserie La Filature',
    'Snack Le Soleil'
  ],
  ehpad: [
    'EHPAD Les Tilleuls',
    'EHPAD Résidence Les Glycines',
    'EHPAD Le Clos Saint-Jean',
    'EHPAD Les Jardins de la Marque',
    'Résidence autonomie Les Hirondelles',
    'EHPAD La Roseraie',
    'EHPAD Les Charmilles',
    'EHPAD Le Moulin Blanc',
    'EHPAD Les Peupliers',
    'Résidence autonomie Le Béguinage',
    'EHPAD Les Coquelicots',
    'EHPAD Sainte-Hélène'
  ],
  cantine: [
    'Restaurant scolaire école Jules-Ferry',
    'Restaurant scolaire école Louise-Michel',
    'Cantine du collège Jean-Macé',
    'Cantine de la maternelle Les Petits Glaneurs',
    'Restaurant scolaire groupe Pasteur',
    'Cantine du lycée professionnel Les Tisserands',
    "Restaurant d'entreprise de la zone des Prés",
    'Cuisine centrale municipale',
    'Restaurant scolaire école George-Sand',
    'Restaurant scolaire école Victor-Hugo',
    'Cantine du collège Marie-Curie',
    'Restaurant administratif de la mairie'
  ],
  producteur: [
    'Ferme du Mélantois',
    'Les Vergers de la Marque',
    'Maraîchage Dumortier',
    'GAEC des Trois Chênes',
    'Ferme laitière Leclercq',
    'Chèvrerie de la Pévèle',
    'Les Serres de Glaneville',
    'Rucher du Moulin',
    'Champignonnière des Carrières',
    'Ferme Delannoy, pommes de terre',
    'Jardin de Cocagne des Prés',
    'Brasserie artisanale La Glaneuse'
  ],
  autre: [
    'Hôtel Le Relais de Flandre',
    'Grossiste Primeurs des Flandres',
    'Traiteur Les Festins du Nord',
    'Centre social Les Tisserands',
    'Paroisse Saint-Éloi',
    'Amicale laïque du Moulin-Blanc',
    'Club sportif de Glaneville (buvette)',
    'Cinéma Le Familia',
    'Entrepôt Nord Frais Logistique',
    'Jardin partagé des Glaneuses',
    'Comité des fêtes de Glaneville',
    'Résidence étudiante Les Alizés'
  ]
};

/** The five associations, each of a national network (data·inclusion `reseaux-porteurs` values). */
const ASSOCIATIONS = [
  { key: 'restos', network: 'restos-du-coeur', name: `Restos du Cœur — antenne de ${DEMO_TOWN.name}` },
  { key: 'secours-populaire', network: 'secours-populaire', name: `Secours populaire — comité de ${DEMO_TOWN.name}` },
  { key: 'croix-rouge', network: 'croix-rouge', name: `Croix-Rouge française — unité locale de ${DEMO_TOWN.name}` },
  {
    key: 'banque-alimentaire',
    network: 'banques-alimentaires',
    name: `Banque alimentaire — relais de ${DEMO_TOWN.name}`
  },
  { key: 'emmaus', network: 'emmaus', name: `Emmaüs — communauté de ${DEMO_TOWN.name}` }
] as const;

export type DemoOrganisation = OrganisationTable;
export type DemoUser = Omit<UserTable, 'password_hash'>;
export type DemoMembership = MembershipTable;
export type DemoInvitation = InvitationTable;

export interface DemoTerritory {
  organisations: DemoOrganisation[];
  users: DemoUser[];
  memberships: DemoMembership[];
  invitations: DemoInvitation[];
  /** Organisation ids by key: `ccas`, `restos`, …, and the first donor of each kind as `donor:<kind>`. */
  organisationIds: Record<string, string>;
  /** User ids by account key. */
  userIds: Record<string, string>;
}

/** ISO time `minutes` after DEMO_CREATED_AT. */
function at(minutes: number): string {
  return new Date(Date.parse(DEMO_CREATED_AT) + minutes * 60_000).toISOString();
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

interface AccountSpec {
  key: string;
  local: string;
  displayName: string;
  phone?: string;
  isPlatformAdmin?: boolean;
  /** [organisation key, role] */
  membership?: [string, MembershipTable['role']];
}

/** The demo accounts: staff of each organisation kind, and beneficiaries (first name + initial only). */
const ACCOUNTS: AccountSpec[] = [
  { key: 'admin', local: 'admin', displayName: 'Claire Dubois', isPlatformAdmin: true },
  { key: 'ccas-agent', local: 'ccas', displayName: 'Nadia Benali', membership: ['ccas', 'owner'] },
  { key: 'ccas-member', local: 'ccas.agent', displayName: 'Thomas Lefebvre', membership: ['ccas', 'member'] },
  { key: 'restos', local: 'restos', displayName: 'Martine Deprez', membership: ['restos', 'owner'] },
  { key: 'restos-volunteer', local: 'restos.benevole', displayName: 'Karim Bouzid', membership: ['restos', 'member'] },
  {
    key: 'secours-populaire',
    local: 'secours-populaire',
    displayName: 'Jean-Pierre Lemaire',
    membership: ['secours-populaire', 'owner']
  },
  { key: 'croix-rouge', local: 'croix-rouge', displayName: 'Sophie Vasseur', membership: ['croix-rouge', 'owner'] },
  {
    key: 'croix-rouge-manager',
    local: 'croix-rouge.responsable',
    displayName: 'Hugo Verhaeghe',
    membership: ['croix-rouge', 'manager']
  },
  {
    key: 'banque-alimentaire',
    local: 'banque-alimentaire',
    displayName: 'Ahmed Haddad',
    membership: ['banque-alimentaire', 'owner']
  },
  { key: 'emmaus', local: 'emmaus', displayName: 'Lucie Caron', membership: ['emmaus', 'owner'] },
  { key: 'boulangerie', local: 'boulangerie', displayName: 'Pierre Delcroix', membership: ['donor:commerce', 'owner'] },
  {
    key: 'supermarche',
    local: 'supermarche',
    displayName: 'Isabelle Lambert',
    membership: ['donor:supermarche', 'manager']
  },
  { key: 'restaurant', local: 'restaurant', displayName: 'Marc Wattez', membership: ['donor:restaurant', 'owner'] },
  { key: 'beneficiary-1', local: 'beneficiaire1', displayName: 'Samira B.', phone: '+33639980101' },
  { key: 'beneficiary-2', local: 'beneficiaire2', displayName: 'Kévin D.' },
  { key: 'beneficiary-3', local: 'beneficiaire3', displayName: 'Fatou N.', phone: '+33639980103' },
  { key: 'beneficiary-4', local: 'beneficiaire4', displayName: 'Élodie M.' },
  { key: 'beneficiary-5', local: 'beneficiaire5', displayName: 'Youssef A.' }
];

/**
 * Builds the whole territory from a seed. Pure and deterministic: equal seeds give equal rows.
 * Ids do not depend on the seed (only coordinates, street numbers and SIRETs do).
 */
export function buildDemoTerritory(seed: number = DEMO_SEED): DemoTerritory {
  const random = mulberry32(seed);
  const organisations: DemoOrganisation[] = [];
  const organisationIds: Record<string, string> = {};
  const slugs = new Set<string>();
  let phoneSerial = 0;

  const place = (spread: number) => ({
    lat: round6(DEMO_TOWN.centre.lat + (random() * 2 - 1) * spread * 0.017),
    lng: round6(DEMO_TOWN.centre.lng + (random() * 2 - 1) * spread * 0.04)
  });
  const addressLine = () => {
    const street = STREETS[Math.floor(random() * STREETS.length)]!;
    return `${1 + Math.floor(random() * 180)} ${street}`;
  };

  const addOrganisation = (
    key: string,
    fields: Pick<OrganisationTable, 'name' | 'kind' | 'donor_kind' | 'network'> & {
      address: string;
      coords: { lat: number; lng: number };
      withSiret: boolean;
    }
  ) => {
    const n = organisations.length + 1;
    let slug = slugify(fields.name);
    if (slugs.has(slug)) slug = `${slug}-${n}`;
    slugs.add(slug);
    phoneSerial += 1;
    const id = demoId('organisation', n);
    organisationIds[key] = id;
    const siret = fields.withSiret ? fictionalSiret(random) : null;
    organisations.push({
      id,
      slug,
      name: fields.name,
      kind: fields.kind,
      donor_kind: fields.donor_kind,
      network: fields.network,
      siret,
      email: `${fields.kind === 'donor' ? `contact.${slug}` : `contact.${key}`}@${DEMO_EMAIL_DOMAIN}`,
      // ARCEP's range reserved for fiction in the north-east: 03 53 48 xx xx.
      phone: `035348${String(phoneSerial).padStart(4, '0')}`,
      address_line: fields.address,
      postal_code: DEMO_TOWN.postalCode,
      city: DEMO_TOWN.name,
      insee_code: DEMO_TOWN.inseeCode,
      lat: fields.coords.lat,
      lng: fields.coords.lng,
      is_demo: 1,
      created_at: at(n),
      updated_at: at(n)
    });
  };

  addOrganisation('ccas', {
    name: `CCAS de ${DEMO_TOWN.name}`,
    kind: 'ccas',
    donor_kind: null,
    network: 'ccas-cias',
    address: "1 place de l'Hôtel-de-Ville",
    coords: { ...DEMO_TOWN.centre },
    withSiret: true
  });
  for (const a of ASSOCIATIONS) {
    addOrganisation(a.key, {
      name: a.name,
      kind: 'association',
      donor_kind: null,
      network: a.network,
      address: addressLine(),
      coords: place(0.5),
      withSiret: true
    });
  }
  for (const [donorKind, names] of Object.entries(DONORS) as [DonorKind, readonly string[]][]) {
    names.forEach((name, i) => {
      const key =
        name === SUPERMARKET ? 'donor:supermarche' : i === 0 ? `donor:${donorKind}` : `donor:${donorKind}:${i + 1}`;
      addOrganisation(key, {
        name,
        kind: 'donor',
        donor_kind: donorKind,
        network: null,
        address: addressLine(),
        coords: place(1),
        // A few donors have not given their SIRET (it is optional).
        withSiret: i % 5 !== 4
      });
    });
  }

  const users: DemoUser[] = [];
  const memberships: DemoMembership[] = [];
  const userIds: Record<string, string> = {};
  ACCOUNTS.forEach((a, i) => {
    const n = i + 1;
    const id = demoId('user', n);
    userIds[a.key] = id;
    const created = at(100 + n);
    users.push({
      id,
      email: `${a.local}@${DEMO_EMAIL_DOMAIN}`,
      phone: a.phone ?? null,
      display_name: a.displayName,
      locale: 'fr',
      email_verified_at: created,
      phone_verified_at: a.phone ? created : null,
      is_platform_admin: a.isPlatformAdmin ? 1 : 0,
      failed_sign_in_count: 0,
      locked_until: null,
      is_demo: 1,
      created_at: created,
      updated_at: created
    });
    if (a.membership) {
      const [orgKey, role] = a.membership;
      const organisationId = organisationIds[orgKey];
      if (!organisationId) throw new Error(`demo territory: unknown organisation ${orgKey}`);
      memberships.push({
        id: demoId('membership', memberships.length + 1),
        organisation_id: organisationId,
        user_id: id,
        role,
        created_at: created
      });
    }
  });

  const invitations: DemoInvitation[] = [
    {
      id: demoId('invitation', 1),
      organisation_id: organisationIds['secours-populaire']!,
      email: `nouveau.benevole@${DEMO_EMAIL_DOMAIN}`,
      role: 'member',
      token_hash: sha256(DEMO_INVITATION_TOKEN),
      invited_by_user_id: userIds['secours-populaire']!,
      expires_at: DEMO_INVITATION_EXPIRES_AT,
      accepted_at: null,
      accepted_by_user_id: null,
      revoked_at: null,
      created_at: at(200)
    }
  ];

  return { organisations, users, memberships, invitations, organisationIds, userIds };
}
