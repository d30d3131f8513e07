import type {
  FoodDetails,
  NewPlace,
  NewService,
  NoticeRecord,
  ServiceConditions,
  StopInput
} from '../modules/directory/directory.repository.js';
import { slugify } from '../modules/organisations/organisations.rules.js';
import { DEMO_CREATED_AT, DEMO_EMAIL_DOMAIN, DEMO_TOWN, demoId, type DemoTerritory } from './territory.js';

/**
 * The demo directory (annuaire) of the demo town, as pure data: fifteen places and twenty-five
 * services of the CCAS, the five associations and a few neighbourhood initiatives (frigo solidaire,
 * jardin partagé, cuisine partagée, repas solidaire), with temporary notices and the stops of a
 * mobile service. No I/O and no clock: the same territory always gives the same records, so tests,
 * screenshots and the README can name them. `demo.ts` writes them through the directory repository.
 *
 * Everything is invented (names, addresses, phone numbers in ARCEP's range reserved for fiction,
 * e-mails at `demo.glane.localhost`). Ids are name-based UUIDs (`demoId('place', n)` …) that never
 * move; the main place of an association sits at its organisation's seat (which the seed places),
 * every other place has fixed coordinates inside the town's box.
 */

/**
 * The date the demo directory describes: places were last checked before it. Freshness is judged
 * against the real clock, so fresh demo places turn "à vérifier" about six months after this date.
 */
export const DEMO_DIRECTORY_DATE = '2026-11-16T09:00:00.000Z';

/** The verification date of the one stale demo place: more than 6 months before DEMO_DIRECTORY_DATE. */
export const DEMO_STALE_VERIFIED_AT = '2026-03-10T10:30:00.000Z';

/** A temporary notice, ready for `insertNotice`. */
export type DemoNotice = Omit<NoticeRecord, 'id'> & { id: string };

/** The ordered stops of one mobile place, ready for `replaceStops`. */
export interface DemoStops {
  placeId: string;
  stops: (StopInput & { id: string })[];
}

/** Records of the demo directory: each place and service with its id, notices and stops. */
export interface DemoDirectory {
  places: (NewPlace & { id: string })[];
  services: (NewService & { id: string })[];
  notices: DemoNotice[];
  stops: DemoStops[];
  /** Place ids by key (`ccas-accueil`, `restos-centre`, `croix-rouge-maraude`, …). */
  placeIds: Record<string, string>;
}

const FOOD = 'equipement-et-alimentation--alimentation';
const CLOTHING = 'equipement-et-alimentation--habillement';
const APPLIANCES = 'equipement-et-alimentation--electromenager';

interface PlaceSpec {
  key: string;
  /** Organisation key in the territory (`ccas`, `restos`…) or its exact name (neighbourhood initiatives). */
  organisation: string;
  name: string;
  description: string;
  /** Omitted: the organisation's own address and coordinates (its seat). */
  address?: { line: string; complement?: string; lat: number; lng: number };
  complement?: string;
  phone?: string;
  email?: string;
  website?: string;
  isAccessible: boolean | null;
  languages: string[];
  openingHours: string;
  saturation: 'low' | 'medium' | 'high' | null;
  isMobile?: boolean;
  /** Days before DEMO_DIRECTORY_DATE of the last check; 'stale' for DEMO_STALE_VERIFIED_AT. */
  verified: number | 'stale';
  services: ServiceSpec[];
}

interface ServiceSpec {
  name: string;
  description: string;
  type: 'aide-materielle' | 'atelier' | 'accompagnement' | 'aide-financiere' | 'information';
  thematiques?: string[];
  categories: string[];
  frais: 'gratuit' | 'payant';
  fraisDetails?: string;
  publics: string[];
  publicsDetails?: string;
  access: 'unconditional' | 'preferential' | 'exclusive';
  conditions?: ServiceConditions;
  modalities: string[];
  modalitiesDetails?: string;
  modesMobilisation: string[];
  mobilisablePar: string[];
  /** Languages spoken at this service beyond its place's (a volunteer's). */
  languages?: string[];
  mobilisationDetails?: string;
  zoneEligibilite?: string[];
  food?: FoodDetails;
  /** Omitted: the place's hours. */
  openingHours?: string;
  contactName?: string;
}

const PLACES: PlaceSpec[] = [
  // ------------------------------------------------------------------ CCAS
  {
    key: 'ccas-accueil',
    organisation: 'ccas',
    name: "CCAS — accueil de l'Hôtel de Ville",
    description:
      "Accueil social du CCAS au rez-de-chaussée de l'Hôtel de Ville : écoute, instruction des demandes d'aide alimentaire et orientation vers les associations de la commune.",
    complement: 'Rez-de-chaussée, porte B',
    isAccessible: true,
    languages: ['fr', 'en', 'ar'],
    openingHours: 'Mo-Fr 08:30-12:00,13:30-17:00; PH off',
    saturation: 'medium',
    verified: 13,
    services: [
      {
        name: "Aide alimentaire d'urgence",
        description:
          "Colis alimentaire d'urgence remis le jour même aux personnes orientées par un travailleur social, pour tenir quelques jours en attendant une solution durable.",
        type: 'aide-materielle',
        categories: ['colis-alimentaire'],
        frais: 'gratuit',
        publics: ['personnes-en-situation-durgence', 'familles'],
        publicsDetails: 'Personnes sans ressources immédiates, en rupture de droits ou en attente de prestations.',
        access: 'preferential',
        modalities: ['sur-orientation'],
        modalitiesDetails: "Orientation par un travailleur social (CCAS, département, CAF) ; une fiche de liaison suffit.",
        modesMobilisation: ['telephoner', 'se-presenter'],
        mobilisablePar: ['professionnels', 'usagers'],
        zoneEligibilite: [DEMO_TOWN.inseeCode],
        food: { products: ['sec', 'frais'], diets: ['halal', 'vegetarien'], choice: 'aucun', delivery: ['a-emporter'] }
      },
      {
        name: 'Colis bébé',
        description:
          "Colis pour les tout-petits : lait infantile, petits pots, couches et produits d'hygiène, remis chaque mercredi après-midi aux familles suivies par le CCAS.",
        type: 'aide-materielle',
        categories: ['colis-bebe'],
        frais: 'gratuit',
        publics: ['familles'],
        publicsDetails: 'Familles avec un enfant de moins de 3 ans.',
        access: 'exclusive',
        conditions: { family: 'enfant-de-moins-de-3-ans' },
        modalities: ['sur-orientation', 'sur-rendez-vous'],
        modesMobilisation: ['telephoner'],
        mobilisablePar: ['professionnels', 'usagers'],
        zoneEligibilite: [DEMO_TOWN.inseeCode],
        food: { products: ['bebe'], choice: 'accompagne', delivery: ['a-emporter'] },
        openingHours: 'We 14:00-16:30'
      },
      {
        name: 'Bons alimentaires',
        description:
          'Bons d’achat alimentaires utilisables dans les commerces partenaires de la commune, accordés après un entretien avec une conseillère du CCAS.',
        type: 'aide-financiere',
        categories: ['bons-alimentaires'],
        frais: 'gratuit',
        publics: ['familles', 'seniors', 'beneficiaires-des-minimas-sociaux'],
        access: 'preferential',
        modalities: ['sur-rendez-vous'],
        modalitiesDetails: 'Rendez-vous par téléphone ; apporter les justificatifs de ressources et de charges.',
        modesMobilisation: ['telephoner', 'se-presenter'],
        mobilisablePar: ['usagers', 'professionnels'],
        zoneEligibilite: [DEMO_TOWN.inseeCode]
      }
    ]
  },
  {
    key: 'ccas-epicerie',
    organisation: 'ccas',
    name: 'Épicerie sociale Le Panier glaneur',
    description:
      "Épicerie sociale municipale : produits frais, secs et surgelés à 10 à 30 % de leur prix, choisis librement en rayon, pour les ménages orientés par le CCAS pour trois mois renouvelables.",
    address: { line: '12 rue des Maraîchers', lat: 50.6431, lng: 3.0817 },
    isAccessible: true,
    languages: ['fr', 'ar'],
    openingHours: 'Tu,Th 14:00-17:00; Sa 09:30-12:00; PH off',
    saturation: 'high',
    verified: 21,
    services: [
      {
        name: 'Épicerie sociale',
        description:
          'Faire ses courses comme ailleurs, en payant une petite participation : fruits et légumes, produits laitiers, épicerie, hygiène. Accès pour trois mois renouvelables.',
        type: 'aide-materielle',
        categories: ['epicerie-sociale'],
        frais: 'payant',
        fraisDetails: '10 à 30 % du prix en magasin selon le reste à vivre.',
        publics: ['familles', 'seniors', 'actifs', 'beneficiaires-des-minimas-sociaux'],
        access: 'exclusive',
        conditions: { status: 'reste-a-vivre-inferieur-au-seuil' },
        modalities: ['sur-orientation', 'participation-financiere'],
        modalitiesDetails: 'Dossier instruit par le CCAS ; accès accordé pour 3 mois, renouvelable.',
        modesMobilisation: ['telephoner', 'se-presenter'],
        mobilisablePar: ['professionnels'],
        zoneEligibilite: [DEMO_TOWN.inseeCode],
        food: {
          products: ['frais', 'sec', 'surgele', 'bebe'],
          diets: ['halal', 'vegetarien', 'sans-gluten'],
          choice: 'libre',
          delivery: ['a-emporter']
        }
      },
      {
        name: 'Atelier « Bien manger avec un petit budget »',
        description:
          "Atelier mensuel animé par une diététicienne : lire les étiquettes, composer des menus équilibrés et cuisiner les produits de l'épicerie sans gaspiller.",
        type: 'atelier',
        categories: ['atelier-cuisine'],
        frais: 'gratuit',
        publics: ['familles'],
        access: 'preferential',
        modalities: ['sur-inscription'],
        modesMobilisation: ['se-presenter', 'telephoner'],
        mobilisablePar: ['usagers'],
        food: { mealTypes: ['dejeuner'], delivery: ['sur-place'] },
        openingHours: 'Fr 14:00-16:30; PH off'
      }
    ]
  },
  {
    key: 'ccas-frigo',
    organisation: 'ccas',
    name: 'Frigo solidaire de la halle',
    description:
      "Réfrigérateur en libre-service sous la halle du marché : chacun peut déposer ou prendre des denrées, vérifiées chaque matin par les agents du CCAS et les commerçants voisins.",
    address: { line: 'place du Marché-aux-Grains', complement: 'Sous la halle, côté fontaine', lat: 50.6389, lng: 3.0701 },
    isAccessible: true,
    languages: ['fr'],
    openingHours: '24/7',
    saturation: 'low',
    verified: 5,
    services: [
      {
        name: 'Frigo solidaire',
        description:
          'Libre-service de denrées fraîches données par les habitants et les commerces du marché : on dépose ce qu’on ne mangera pas, on prend ce dont on a besoin, sans justificatif.',
        type: 'aide-materielle',
        categories: ['frigo-solidaire'],
        frais: 'gratuit',
        publics: ['tous-publics'],
        access: 'unconditional',
        modalities: ['sans-condition'],
        modesMobilisation: ['se-presenter'],
        mobilisablePar: ['usagers'],
        food: { products: ['frais'], choice: 'libre', delivery: ['a-emporter'] }
      }
    ]
  },
  // ------------------------------------------------------------------ Restos du Cœur
  {
    key: 'restos-centre',
    organisation: 'restos',
    name: 'Restos du Cœur — centre de distribution',
    description:
      "Centre de distribution des Restos du Cœur : inscription sur barème de ressources, puis distribution de denrées deux matinées par semaine, quatre pendant la campagne d'hiver.",
    isAccessible: false,
    languages: ['fr', 'ar', 'en'],
    openingHours: 'Tu,Fr 09:00-11:30; PH off',
    saturation: 'high',
    verified: 9,
    services: [
      {
        name: 'Distribution alimentaire',
        description:
          "Distribution de paniers équilibrés (produits frais, secs et surgelés) aux personnes inscrites ; les inscriptions ont lieu le mardi matin avec un justificatif de ressources.",
        type: 'aide-materielle',
        categories: ['distribution-alimentaire'],
        frais: 'gratuit',
        publics: ['familles', 'personnes-en-situation-durgence', 'beneficiaires-des-minimas-sociaux', 'personnes-exilees'],
        access: 'unconditional',
        modalities: ['sur-inscription'],
        modalitiesDetails: 'Inscription le mardi de 9 h à 11 h 30, selon le barème national des Restos.',
        modesMobilisation: ['se-presenter'],
        mobilisablePar: ['usagers', 'professionnels'],
        food: {
          products: ['frais', 'sec', 'surgele'],
          diets: ['vegetarien', 'halal'],
          choice: 'accompagne',
          delivery: ['a-emporter']
        },
        contactName: 'Accueil des inscriptions'
      },
      {
        name: 'Restos bébés du cœur',
        description:
          'Lait, petits pots, couches et vêtements pour les bébés de moins de 18 mois des familles inscrites, remis chaque vendredi avec un conseil de puériculture.',
        type: 'aide-materielle',
        categories: ['colis-bebe'],
        frais: 'gratuit',
        publics: ['familles'],
        publicsDetails: 'Familles inscrites avec un bébé de moins de 18 mois.',
        access: 'exclusive',
        conditions: { family: 'enfant-de-moins-de-18-mois' },
        modalities: ['sur-inscription'],
        modesMobilisation: ['se-presenter'],
        mobilisablePar: ['usagers'],
        food: { products: ['bebe'], choice: 'accompagne', delivery: ['a-emporter'] },
        openingHours: 'Fr 09:00-11:30; PH off'
      }
    ]
  },
  {
    key: 'restos-pres',
    organisation: 'restos',
    name: 'Restos du Cœur — point de distribution des Prés',
    description:
      'Point de distribution de quartier ouvert le jeudi matin dans la salle paroissiale des Prés, pour les personnes inscrites qui ne peuvent pas se rendre au centre.',
    address: { line: '4 rue des Courtils', complement: 'Salle des Prés', lat: 50.6282, lng: 3.0968 },
    isAccessible: true,
    languages: ['fr'],
    openingHours: 'Th 09:00-11:30; PH off',
    saturation: 'medium',
    verified: 30,
    services: [
      {
        name: 'Distribution alimentaire de quartier',
        description:
          'Colis de denrées sèches et fraîches pour les familles inscrites aux Restos du Cœur qui habitent le quartier des Prés ou ne peuvent pas se déplacer loin.',
        type: 'aide-materielle',
        categories: ['distribution-alimentaire'],
        frais: 'gratuit',
        publics: ['familles', 'seniors', 'residents-qpv-frr'],
        access: 'preferential',
        modalities: ['sur-inscription'],
        modesMobilisation: ['se-presenter', 'telephoner'],
        mobilisablePar: ['usagers'],
        food: { products: ['frais', 'sec'], choice: 'aucun', delivery: ['a-emporter'] }
      }
    ]
  },
  // ------------------------------------------------------------------ Secours populaire
  {
    key: 'secours-populaire-permanence',
    organisation: 'secours-populaire',
    name: "Secours populaire — permanence d'accueil",
    description:
      "Permanence d'accueil du comité local : colis alimentaires sur rendez-vous et vestiaire solidaire ouvert à tous, tenus par une équipe de bénévoles.",
    isAccessible: null,
    languages: ['fr', 'ar'],
    openingHours: 'We 09:00-12:00; Sa 10:00-12:00',
    saturation: 'medium',
    verified: 40,
    services: [
      {
        name: 'Colis alimentaire',
        description:
          'Colis alimentaire hebdomadaire composé avec la personne selon la taille du foyer, après un premier entretien d’accueil sur rendez-vous.',
        type: 'aide-materielle',
        categories: ['colis-alimentaire'],
        frais: 'payant',
        fraisDetails: 'Participation symbolique de 2 € par colis.',
        publics: ['familles', 'personnes-en-situation-durgence', 'seniors'],
        access: 'unconditional',
        modalities: ['sur-rendez-vous', 'participation-financiere'],
        modesMobilisation: ['telephoner', 'se-presenter'],
        mobilisablePar: ['usagers', 'professionnels'],
        // The Wednesday volunteers also speak Romanian and Ukrainian.
        languages: ['ro', 'uk'],
        food: { products: ['sec', 'frais'], diets: ['halal'], choice: 'accompagne', delivery: ['a-emporter'] }
      },
      {
        name: 'Vestiaire solidaire',
        description:
          'Vêtements pour adultes et enfants, chaussures et linge de maison, triés par les bénévoles et proposés à petit prix ou gratuitement selon la situation.',
        type: 'aide-materielle',
        thematiques: [CLOTHING],
        categories: ['vetements'],
        frais: 'payant',
        fraisDetails: 'De 0,50 € à 3 € la pièce ; gratuit pour les personnes orientées.',
        publics: ['tous-publics'],
        access: 'unconditional',
        modalities: ['sans-condition'],
        modesMobilisation: ['se-presenter'],
        mobilisablePar: ['usagers'],
        openingHours: 'Sa 10:00-12:00'
      }
    ]
  },
  {
    key: 'secours-populaire-etudiants',
    organisation: 'secours-populaire',
    name: 'Secours populaire — libre-service étudiant',
    description:
      "Libre-service alimentaire réservé aux étudiants, ouvert le jeudi soir près du campus : on choisit ses produits sur présentation de la carte d'étudiant.",
    address: { line: '27 avenue des Tisserands', complement: 'Local associatif du campus', lat: 50.6512, lng: 3.0589 },
    isAccessible: true,
    languages: ['fr', 'en', 'uk'],
    openingHours: 'Th 17:00-19:30',
    saturation: 'high',
    verified: 17,
    services: [
      {
        name: 'Libre-service alimentaire étudiant',
        description:
          "Produits secs, frais et d'hygiène en libre choix pour les étudiants, contre une participation d'un euro par passage, sans autre justificatif que la carte d'étudiant.",
        type: 'aide-materielle',
        categories: ['epicerie-sociale', 'distribution-alimentaire'],
        frais: 'payant',
        fraisDetails: '1 € par passage.',
        publics: ['etudiants', 'jeunes'],
        access: 'exclusive',
        conditions: { students: true, ageMax: 30 },
        modalities: ['sans-condition', 'participation-financiere'],
        modesMobilisation: ['se-presenter'],
        mobilisablePar: ['usagers'],
        food: {
          products: ['sec', 'frais'],
          diets: ['vegetarien', 'halal', 'sans-lactose'],
          choice: 'libre',
          delivery: ['a-emporter']
        }
      }
    ]
  },
  // ------------------------------------------------------------------ Croix-Rouge
  {
    key: 'croix-rouge-epicerie',
    organisation: 'croix-rouge',
    name: 'Croix-Rouge — épicerie sociale',
    description:
      "Épicerie sociale de l'unité locale de la Croix-Rouge : courses à petit prix, kits d'hygiène et accompagnement budgétaire, pour six mois au plus.",
    isAccessible: true,
    languages: ['fr', 'uk', 'en'],
    openingHours: 'Mo,We 14:00-17:00; Sa 09:00-12:00; PH off',
    saturation: 'medium',
    verified: 25,
    services: [
      {
        name: 'Épicerie sociale',
        description:
          'Produits alimentaires et d’entretien à 20 % de leur prix, avec un accompagnement budgétaire par une bénévole ; accès sur orientation pour six mois au plus.',
        type: 'aide-materielle',
        categories: ['epicerie-sociale'],
        frais: 'payant',
        fraisDetails: '20 % du prix en magasin.',
        publics: ['familles', 'personnes-exilees', 'actifs'],
        publicsDetails: 'Travailleurs précaires et familles monoparentales en priorité.',
        access: 'preferential',
        modalities: ['sur-orientation', 'participation-financiere'],
        modesMobilisation: ['telephoner', 'envoyer-un-courriel'],
        mobilisablePar: ['professionnels'],
        food: { products: ['frais', 'sec', 'surgele'], diets: ['halal', 'vegetarien'], choice: 'libre', delivery: ['a-emporter'] }
      },
      {
        name: "Kits d'hygiène",
        description:
          "Kits d'hygiène (savon, dentifrice, protections périodiques, rasoirs) remis sans condition à toute personne qui en fait la demande à l'accueil de l'épicerie.",
        type: 'aide-materielle',
        categories: ['hygiene'],
        frais: 'gratuit',
        publics: ['tous-publics'],
        access: 'unconditional',
        modalities: ['sans-condition'],
        modesMobilisation: ['se-presenter'],
        mobilisablePar: ['usagers']
      }
    ]
  },
  {
    key: 'croix-rouge-maraude',
    organisation: 'croix-rouge',
    name: 'Croix-Rouge — maraude du soir',
    description:
      'Camion de la maraude : trois arrêts chaque lundi, mercredi et vendredi soir pour un repas chaud, une boisson, un moment d’écoute et une orientation.',
    address: { line: 'Parvis de la gare', lat: 50.6368, lng: 3.0655 },
    isAccessible: true,
    languages: ['fr', 'ar', 'uk'],
    openingHours: 'Mo,We,Fr 19:30-22:30',
    saturation: null,
    isMobile: true,
    verified: 3,
    services: [
      {
        name: 'Maraude alimentaire',
        description:
          'Repas chaud, soupe, boissons et couvertures distribués au camion à chaque arrêt, sans condition ni inscription, avec une écoute et une orientation vers les dispositifs.',
        type: 'aide-materielle',
        categories: ['repas-solidaire', 'distribution-alimentaire'],
        frais: 'gratuit',
        publics: ['personnes-en-situation-durgence'],
        publicsDetails: 'Personnes à la rue ou en grande précarité.',
        access: 'unconditional',
        modalities: ['sans-condition'],
        modesMobilisation: ['se-presenter', 'telephoner'],
        mobilisablePar: ['usagers', 'professionnels'],
        mobilisationDetails: 'Signaler une personne en difficulté : appeler le 115.',
        food: { products: ['frais'], diets: ['vegetarien', 'halal'], mealTypes: ['diner'], choice: 'aucun', delivery: ['sur-place'] }
      }
    ]
  },
  // ------------------------------------------------------------------ Banque alimentaire
  {
    key: 'banque-alimentaire-relais',
    organisation: 'banque-alimentaire',
    name: 'Banque alimentaire — relais de Glaneville',
    description:
      "Relais local de la Banque alimentaire du Nord : approvisionne les associations partenaires, remet des colis aux personnes orientées et anime des ateliers anti-gaspillage.",
    isAccessible: true,
    languages: ['fr'],
    openingHours: 'Mo-Fr 09:00-12:00; PH off',
    saturation: 'low',
    verified: 60,
    services: [
      {
        name: 'Point relais : colis sur orientation',
        description:
          'Colis de denrées collectées auprès des grandes surfaces et des producteurs, remis sur orientation d’une association partenaire ou d’un travailleur social.',
        type: 'aide-materielle',
        categories: ['colis-alimentaire'],
        frais: 'gratuit',
        publics: ['personnes-en-situation-durgence', 'familles'],
        access: 'unconditional',
        modalities: ['sur-orientation'],
        modesMobilisation: ['envoyer-un-courriel', 'telephoner'],
        mobilisablePar: ['professionnels'],
        mobilisationDetails: 'Réservé aux structures partenaires : une demande par mail la veille.',
        food: { products: ['sec', 'frais', 'surgele'], choice: 'aucun', delivery: ['a-emporter', 'livraison'] }
      },
      {
        name: 'Atelier cuisine anti-gaspi',
        description:
          "Atelier mensuel pour cuisiner les invendus et les fruits et légumes abîmés : recettes simples, conservation, repas partagé à la fin de l'atelier.",
        type: 'atelier',
        categories: ['atelier-cuisine'],
        frais: 'gratuit',
        publics: ['tous-publics'],
        access: 'unconditional',
        modalities: ['sur-inscription'],
        modesMobilisation: ['telephoner'],
        mobilisablePar: ['usagers'],
        food: { diets: ['vegetarien'], mealTypes: ['dejeuner'], delivery: ['sur-place'] },
        openingHours: 'Tu 14:00-16:00'
      }
    ]
  },
  // ------------------------------------------------------------------ Emmaüs
  {
    key: 'emmaus-boutique',
    organisation: 'emmaus',
    name: 'Emmaüs — boutique solidaire',
    description:
      'Boutique de la communauté Emmaüs : vêtements, meubles et électroménager révisé et garanti, vendus à petit prix ; les recettes font vivre la communauté.',
    isAccessible: false,
    languages: ['fr', 'en'],
    openingHours: 'We 14:00-18:00; Sa 10:00-12:00,14:00-18:00',
    saturation: 'low',
    verified: 'stale',
    services: [
      {
        name: 'Vêtements à petit prix',
        description:
          'Vêtements, chaussures et linge de maison de seconde main, triés et vendus à petit prix ; bons d’achat gratuits pour les personnes orientées.',
        type: 'aide-materielle',
        thematiques: [CLOTHING],
        categories: ['vetements'],
        frais: 'payant',
        publics: ['tous-publics'],
        access: 'unconditional',
        modalities: ['sans-condition'],
        modesMobilisation: ['se-presenter'],
        mobilisablePar: ['usagers']
      },
      {
        name: 'Électroménager révisé',
        description:
          'Réfrigérateurs, plaques de cuisson, lave-linge et petit électroménager révisés par l’atelier de la communauté et garantis six mois.',
        type: 'aide-materielle',
        thematiques: [APPLIANCES],
        categories: ['electromenager'],
        frais: 'payant',
        fraisDetails: 'Prix solidaires ; livraison possible sur la commune.',
        publics: ['tous-publics'],
        access: 'unconditional',
        modalities: ['sans-condition'],
        modesMobilisation: ['se-presenter', 'telephoner'],
        mobilisablePar: ['usagers', 'professionnels'],
        openingHours: 'Sa 10:00-12:00,14:00-18:00'
      }
    ]
  },
  // ------------------------------------------------------------------ neighbourhood initiatives
  {
    key: 'jardin-partage',
    organisation: 'Jardin partagé des Glaneuses',
    name: 'Jardin partagé des Glaneuses',
    description:
      "Jardin partagé le long du canal : parcelles collectives, récoltes partagées entre les jardiniers et paniers de légumes offerts à l'épicerie sociale.",
    address: { line: 'chemin du Halage', complement: 'Entrée face à l’écluse', lat: 50.6327, lng: 3.0519 },
    isAccessible: null,
    languages: ['fr', 'ar'],
    openingHours: 'Apr-Oct Mo-Su 08:00-20:00; Nov-Mar Sa 10:00-16:00',
    saturation: 'low',
    verified: 45,
    services: [
      {
        name: 'Jardin partagé',
        description:
          'Cultiver ensemble fruits, légumes et aromatiques, apprendre à jardiner sans pesticides et repartir avec une part de la récolte ; ouvert à tous les habitants.',
        type: 'atelier',
        categories: ['jardin-partage'],
        frais: 'gratuit',
        publics: ['tous-publics'],
        access: 'unconditional',
        modalities: ['sans-condition'],
        modesMobilisation: ['se-presenter'],
        mobilisablePar: ['usagers'],
        food: { products: ['frais'], choice: 'libre', delivery: ['a-emporter'] }
      }
    ]
  },
  {
    key: 'centre-social-cuisine',
    organisation: 'Centre social Les Tisserands',
    name: 'Centre social Les Tisserands — cuisine partagée',
    description:
      'Cuisine équipée du centre social, prêtée aux habitants qui n’ont pas de quoi cuisiner chez eux, et ateliers cuisine parents-enfants le mercredi matin.',
    isAccessible: true,
    languages: ['fr', 'ar', 'en'],
    openingHours: 'Mo,Th 14:00-17:00; We 09:00-12:00',
    saturation: 'medium',
    verified: 11,
    services: [
      {
        name: 'Cuisine partagée',
        description:
          "Accès libre à une cuisine équipée (plaques, four, réfrigérateur, vaisselle) pour préparer ses repas, sur inscription auprès de l'accueil du centre social.",
        type: 'aide-materielle',
        categories: ['cuisine-partagee'],
        frais: 'gratuit',
        publics: ['tous-publics'],
        access: 'unconditional',
        modalities: ['sur-inscription'],
        modesMobilisation: ['se-presenter', 'telephoner'],
        mobilisablePar: ['usagers'],
        food: { delivery: ['sur-place'] },
        openingHours: 'Mo,Th 14:00-17:00'
      },
      {
        name: 'Atelier cuisine parents-enfants',
        description:
          'Chaque mercredi matin, parents et enfants cuisinent ensemble un repas équilibré avec une animatrice, puis le partagent ; les ingrédients sont fournis.',
        type: 'atelier',
        categories: ['atelier-cuisine'],
        frais: 'gratuit',
        publics: ['familles'],
        access: 'exclusive',
        conditions: { family: 'parent-avec-enfant' },
        modalities: ['sur-inscription'],
        modesMobilisation: ['se-presenter', 'telephoner'],
        mobilisablePar: ['usagers', 'professionnels'],
        food: { diets: ['vegetarien', 'halal'], mealTypes: ['dejeuner'], delivery: ['sur-place'] },
        openingHours: 'We 09:00-12:00'
      }
    ]
  },
  {
    key: 'table-saint-eloi',
    organisation: 'Paroisse Saint-Éloi',
    name: 'Table ouverte Saint-Éloi',
    description:
      'Repas solidaires dans la salle paroissiale : déjeuner chaud le dimanche et petit-déjeuner le samedi, servis à table par des bénévoles, sans condition.',
    isAccessible: true,
    languages: ['fr', 'ar'],
    openingHours: 'Sa 08:30-10:00; Su 12:00-14:00',
    saturation: 'high',
    verified: 70,
    services: [
      {
        name: 'Repas solidaire du dimanche',
        description:
          'Déjeuner chaud complet servi à table chaque dimanche midi, ouvert à toute personne seule ou en difficulté ; menu végétarien sur demande.',
        type: 'aide-materielle',
        categories: ['repas-solidaire'],
        frais: 'gratuit',
        publics: ['tous-publics'],
        access: 'unconditional',
        modalities: ['sans-condition'],
        modesMobilisation: ['se-presenter'],
        mobilisablePar: ['usagers'],
        food: { diets: ['vegetarien', 'sans-gluten'], mealTypes: ['dejeuner'], choice: 'aucun', delivery: ['sur-place'] },
        openingHours: 'Su 12:00-14:00'
      },
      {
        name: 'Petit-déjeuner solidaire',
        description:
          'Café, thé, pain, viennoiseries et fruits le samedi matin, dans une ambiance conviviale ; douche et laverie sur demande à la maison paroissiale voisine.',
        type: 'aide-materielle',
        categories: ['repas-solidaire'],
        frais: 'gratuit',
        publics: ['personnes-en-situation-durgence', 'seniors'],
        access: 'unconditional',
        modalities: ['sans-condition'],
        modesMobilisation: ['se-presenter'],
        mobilisablePar: ['usagers'],
        food: { mealTypes: ['petit-dejeuner'], choice: 'libre', delivery: ['sur-place', 'a-emporter'] },
        openingHours: 'Sa 08:30-10:00'
      }
    ]
  },
  {
    key: 'frigo-alizes',
    organisation: 'Résidence étudiante Les Alizés',
    name: 'Frigo solidaire des Alizés',
    description:
      "Frigo et étagère solidaires dans le hall de la résidence étudiante : les étudiants et les commerçants du quartier y déposent leurs surplus, chacun se sert librement.",
    isAccessible: true,
    languages: ['fr', 'en'],
    openingHours: 'Mo-Su 07:00-22:00',
    saturation: 'medium',
    verified: 8,
    services: [
      {
        name: 'Frigo solidaire étudiant',
        description:
          'Denrées fraîches et sèches en libre-service pour les étudiants et les jeunes du quartier ; dépôts de produits entamés ou périmés interdits.',
        type: 'aide-materielle',
        categories: ['frigo-solidaire'],
        frais: 'gratuit',
        publics: ['etudiants', 'jeunes'],
        access: 'preferential',
        modalities: ['sans-condition'],
        modesMobilisation: ['se-presenter'],
        mobilisablePar: ['usagers'],
        food: { products: ['frais', 'sec'], choice: 'libre', delivery: ['a-emporter'] }
      }
    ]
  }
];

/** Stops of the Croix-Rouge evening round (the mobile place), in order. */
const MARAUDE_STOPS = [
  { name: 'Parvis de la gare', addressLine: 'Parvis de la gare', lat: 50.6368, lng: 3.0655, hours: 'Mo,We,Fr 19:30-20:15' },
  {
    name: 'Square du Béguinage',
    addressLine: 'rue du Béguinage',
    lat: 50.6421,
    lng: 3.0788,
    hours: 'Mo,We,Fr 20:30-21:15'
  },
  {
    name: 'Parc de la Marque, entrée nord',
    addressLine: 'boulevard de la Marque',
    lat: 50.6473,
    lng: 3.0921,
    hours: 'Mo,We,Fr 21:30-22:15',
    // Only during the winter plan (plan grand froid).
    validFrom: '2026-11-01',
    validTo: '2027-03-31'
  }
] as const;

/** ISO time `minutes` after DEMO_CREATED_AT. */
function at(minutes: number): string {
  return new Date(Date.parse(DEMO_CREATED_AT) + minutes * 60_000).toISOString();
}

/** ISO time `days` before DEMO_DIRECTORY_DATE. */
function daysBefore(days: number): string {
  return new Date(Date.parse(DEMO_DIRECTORY_DATE) - days * 86_400_000).toISOString();
}

/**
 * Builds the demo directory for a territory (for its organisation ids and seats). Pure: the same
 * territory always gives the same records. Throws if the territory lacks a named organisation.
 */
export function buildDemoDirectory(territory: DemoTerritory): DemoDirectory {
  const byName = new Map(territory.organisations.map((o) => [o.name, o]));
  const byId = new Map(territory.organisations.map((o) => [o.id, o]));
  const places: DemoDirectory['places'] = [];
  const services: DemoDirectory['services'] = [];
  const placeIds: Record<string, string> = {};
  const slugs = new Set<string>();

  PLACES.forEach((spec, i) => {
    const n = i + 1;
    const organisation = byName.get(spec.organisation) ?? byId.get(territory.organisationIds[spec.organisation] ?? '');
    if (!organisation) throw new Error(`demo directory: unknown organisation ${spec.organisation}`);
    const id = demoId('place', n);
    placeIds[spec.key] = id;
    let slug = slugify(spec.name);
    if (slugs.has(slug)) slug = `${slug}-${n}`;
    slugs.add(slug);
    const seat = spec.address === undefined;
    const createdAt = at(300 + n);
    const verifiedAt = spec.verified === 'stale' ? DEMO_STALE_VERIFIED_AT : daysBefore(spec.verified);
    places.push({
      id,
      organisationId: organisation.id,
      slug,
      name: spec.name,
      description: spec.description,
      addressLine: spec.address?.line ?? organisation.address_line,
      addressComplement: spec.address?.complement ?? spec.complement ?? null,
      postalCode: DEMO_TOWN.postalCode,
      city: DEMO_TOWN.name,
      inseeCode: DEMO_TOWN.inseeCode,
      lat: seat ? organisation.lat : spec.address!.lat,
      lng: seat ? organisation.lng : spec.address!.lng,
      // ARCEP's range reserved for fiction: 03 53 48 9x xx (organisations use 03 53 48 0x xx).
      phone: spec.phone ?? `035348${String(9000 + n).padStart(4, '0')}`,
      email: spec.email ?? `${spec.key}@${DEMO_EMAIL_DOMAIN}`,
      website: spec.website ?? null,
      accessibilityUrl: null,
      isAccessible: spec.isAccessible,
      languages: spec.languages,
      openingHours: spec.openingHours,
      saturation: spec.saturation,
      isMobile: spec.isMobile ?? false,
      source: 'glane',
      sourceId: null,
      verifiedAt,
      isDemo: true,
      createdAt,
      updatedAt: verifiedAt
    });
    for (const s of spec.services) {
      const sn = services.length + 1;
      services.push({
        id: demoId('service', sn),
        placeId: id,
        organisationId: organisation.id,
        name: s.name,
        description: s.description,
        type: s.type,
        thematiques: s.thematiques && s.thematiques.length > 0 ? s.thematiques : [FOOD],
        categories: s.categories,
        frais: s.frais,
        fraisDetails: s.fraisDetails ?? null,
        publics: s.publics,
        publicsDetails: s.publicsDetails ?? null,
        access: s.access,
        conditions: s.conditions ?? {},
        modalities: s.modalities,
        modalitiesDetails: s.modalitiesDetails ?? null,
        modesAccueil: ['en-presentiel'],
        modesMobilisation: s.modesMobilisation,
        mobilisablePar: s.mobilisablePar,
        mobilisationDetails: s.mobilisationDetails ?? null,
        mobilisationUrl: null,
        zoneEligibilite: s.zoneEligibilite ?? [],
        languages: s.languages ?? [],
        food: s.food ?? {},
        openingHours: s.openingHours ?? null,
        contactName: s.contactName ?? null,
        phone: null,
        email: null,
        source: 'glane',
        sourceId: null,
        isDemo: true,
        createdAt: at(400 + sn),
        updatedAt: verifiedAt
      });
    }
  });

  const notices: DemoNotice[] = [
    {
      id: demoId('place-notice', 1),
      placeId: placeIds['restos-centre']!,
      serviceId: null,
      kind: 'hours',
      startsOn: '2026-11-24',
      endsOn: '2027-03-27',
      openingHours: 'Mo,Tu,Th,Fr 09:00-11:30; PH off',
      message: "Campagne d'hiver : distributions quatre matins par semaine, du lundi au vendredi sauf le mercredi.",
      createdAt: at(600)
    },
    {
      id: demoId('place-notice', 2),
      placeId: placeIds['secours-populaire-permanence']!,
      serviceId: null,
      kind: 'closure',
      startsOn: '2026-12-21',
      endsOn: '2027-01-03',
      openingHours: null,
      message: 'Fermeture pour les fêtes de fin d’année : réouverture le mercredi 6 janvier 2027.',
      createdAt: at(601)
    }
  ];

  const stops: DemoStops[] = [
    {
      placeId: placeIds['croix-rouge-maraude']!,
      stops: MARAUDE_STOPS.map((s, i) => ({
        id: demoId('place-stop', i + 1),
        name: s.name,
        addressLine: s.addressLine,
        postalCode: DEMO_TOWN.postalCode,
        city: DEMO_TOWN.name,
        lat: s.lat,
        lng: s.lng,
        openingHours: s.hours,
        validFrom: 'validFrom' in s ? s.validFrom : null,
        validTo: 'validTo' in s ? s.validTo : null
      }))
    }
  ];

  return { places, services, notices, stops, placeIds };
}
