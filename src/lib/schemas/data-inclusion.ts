/**
 * Reference lists of data·inclusion v1 (`extra/*.json`, Licence Ouverte 2.0), copied here so the app
 * needs no file outside the repository. Generated from ../shared/standards/data-inclusion-v1/extra:
 * regenerate by copying `value` and `label` of each entry. (reseaux-porteurs lives in reseaux-porteurs.ts.)
 */

export interface ReferenceItem {
  value: string;
  label: string;
}

/** data·inclusion `thematiques`. */
export const THEMATIQUES = [
  { value: "choisir-un-metier--confirmer-son-choix-de-metier", label: "Confirmer son choix de métier" },
  { value: "choisir-un-metier--connaitre-les-opportunites-demploi", label: "Connaître les opportunités d’emploi" },
  { value: "choisir-un-metier--decouvrir-un-metier-ou-un-secteur-dactivite", label: "Découvrir un métier ou un secteur d’activité" },
  { value: "choisir-un-metier--identifier-ses-points-forts-et-ses-competences", label: "Identifier ses points forts et ses compétences" },
  { value: "creer-une-entreprise--definir-son-projet-de-creation-dentreprise", label: "Définir son projet de création d’entreprise" },
  { value: "creer-une-entreprise--developper-son-entreprise", label: "Développer son entreprise" },
  { value: "creer-une-entreprise--structurer-son-projet-de-creation-dentreprise", label: "Structurer son projet de création d’entreprise" },
  { value: "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives", label: "Accompagnement aux démarches administratives" },
  { value: "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-a-la-citoyennete", label: "Accompagnement pour l’accès à la citoyenneté" },
  { value: "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits", label: "Accompagnement pour l’accès aux droits" },
  { value: "difficultes-administratives-ou-juridiques--beneficier-dune-mesure-daccompagnement-adapte", label: "Bénéficier d’une mesure d’accompagnement adapté" },
  { value: "difficultes-administratives-ou-juridiques--connaitre-ses-droits-face-a-une-discrimination", label: "Connaître ses droits face à une discrimination" },
  { value: "difficultes-administratives-ou-juridiques--prendre-en-compte-une-problematique-judiciaire", label: "Prendre en compte une problématique judiciaire" },
  { value: "difficultes-financieres--acquerir-une-autonomie-budgetaire", label: "Acquérir une autonomie budgétaire" },
  { value: "difficultes-financieres--ameliorer-sa-gestion-budgetaire", label: "Améliorer sa gestion budgétaire" },
  { value: "difficultes-financieres--mettre-en-place-une-mesure-de-protection-financiere", label: "Mettre en place une mesure de protection financière" },
  { value: "difficultes-financieres--prevenir-une-degradation-de-la-situation-financiere", label: "Prévenir une dégradation de la situation financière" },
  { value: "difficultes-financieres--situation-dendettement-surendettement", label: "Situation d’endettement ou de surendettement" },
  { value: "equipement-et-alimentation--aide-menagere", label: "Aide ménagère" },
  { value: "equipement-et-alimentation--alimentation", label: "Alimentation" },
  { value: "equipement-et-alimentation--electromenager", label: "Électroménager" },
  { value: "equipement-et-alimentation--habillement", label: "Habillement" },
  { value: "famille--garde-denfants", label: "Garde d’enfants" },
  { value: "famille--prise-en-charge-personne-dependante", label: "Prise en charge d’une personne dépendante" },
  { value: "famille--soutien-a-la-parentalite-et-a-leducation", label: "Soutien à la parentalité et à l’éducation" },
  { value: "famille--soutien-aidants", label: "Soutien aux aidants" },
  { value: "famille--surmonter-conflits-separation-violence", label: "Surmonter les conflits liés à la séparation ou à la violence" },
  { value: "lecture-ecriture-calcul--maitriser-le-calcul", label: "Maîtriser le calcul" },
  { value: "lecture-ecriture-calcul--maitriser-le-francais", label: "Maîtriser le français" },
  { value: "logement-hebergement--acheter-un-logement", label: "Acheter un logement" },
  { value: "logement-hebergement--changer-de-logement", label: "Changer de logement" },
  { value: "logement-hebergement--louer-un-logement", label: "Louer un logement" },
  { value: "logement-hebergement--rechercher-une-solution-dhebergement-temporaire", label: "Rechercher une solution d’hébergement temporaire" },
  { value: "logement-hebergement--reduire-les-impayes-de-loyer", label: "Réduire les impayés de loyer" },
  { value: "logement-hebergement--se-maintenir-dans-le-logement", label: "Se maintenir dans le logement" },
  { value: "logement-hebergement--sinformer-sur-les-demarches-liees-a-lacces-au-logement", label: "S’informer sur les démarches liées à l’accès au logement" },
  { value: "mobilite--acceder-a-un-vehicule", label: "Accéder à un véhicule" },
  { value: "mobilite--entretenir-reparer-son-vehicule", label: "Entretenir et réparer son véhicule" },
  { value: "mobilite--etre-accompagne-dans-son-parcours-mobilite", label: "Être accompagné dans son parcours mobilité" },
  { value: "mobilite--financer-ma-mobilite", label: "Financer ma mobilité" },
  { value: "mobilite--mobilite-douce-partagee-collective", label: "Utiliser des services de mobilité douce, partagée ou collective" },
  { value: "mobilite--preparer-un-permis", label: "Préparer un permis" },
  { value: "numerique--acceder-a-des-services-en-ligne", label: "Accéder à des services en ligne" },
  { value: "numerique--acceder-a-une-connexion-internet", label: "Accéder à une connexion Internet" },
  { value: "numerique--acquerir-un-equipement", label: "Acquérir un équipement" },
  { value: "numerique--maitriser-les-fondamentaux-du-numerique", label: "Maîtriser les fondamentaux du numérique" },
  { value: "preparer-sa-candidature--developper-son-reseau", label: "Développer son réseau" },
  { value: "preparer-sa-candidature--organiser-ses-demarches-de-recherche-demploi", label: "Organiser ses démarches de recherche d’emploi" },
  { value: "preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation", label: "Réaliser un CV et/ou une lettre de motivation" },
  { value: "preparer-sa-candidature--valoriser-ses-competences", label: "Valoriser ses compétences" },
  { value: "remobilisation--activites-sportives-et-culturelles", label: "Activités sportives et culturelles" },
  { value: "remobilisation--benevolat-action-citoyenne", label: "Bénévolat et action citoyenne" },
  { value: "remobilisation--bien-etre-confiance-en-soi", label: "Bien-être et confiance en soi" },
  { value: "remobilisation--lien-social", label: "Lien social" },
  { value: "sante--acces-aux-soins", label: "Accès aux soins" },
  { value: "sante--addictions", label: "Addictions" },
  { value: "sante--constituer-un-dossier-mdph-invalidite", label: "Constituer un dossier MDPH pour invalidité" },
  { value: "sante--sante-mentale", label: "Santé mentale" },
  { value: "sante--sante-sexuelle", label: "Santé sexuelle" },
  { value: "se-former--monter-son-dossier-de-formation", label: "Monter son dossier de formation" },
  { value: "se-former--trouver-sa-formation", label: "Trouver sa formation" },
  { value: "souvrir-a-linternational--connaitre-les-opportunites-demploi-a-letranger", label: "Connaître les opportunités d’emploi à l’étranger" },
  { value: "souvrir-a-linternational--sinformer-sur-les-aides-pour-travailler-a-letranger", label: "S’informer sur les aides pour travailler à l’étranger" },
  { value: "souvrir-a-linternational--sorganiser-suite-a-son-retour-en-france", label: "S’organiser suite à son retour en France" },
  { value: "trouver-un-emploi--convaincre-un-recruteur-en-entretien", label: "Convaincre un recruteur en entretien" },
  { value: "trouver-un-emploi--faire-des-candidatures-spontanees", label: "Faire des candidatures spontanées" },
  { value: "trouver-un-emploi--maintien-dans-lemploi", label: "Maintien dans l’emploi" },
  { value: "trouver-un-emploi--repondre-a-des-offres-demploi", label: "Répondre à des offres d’emploi" },
  { value: "trouver-un-emploi--suivre-ses-candidatures-et-relancer-les-employeurs", label: "Suivre ses candidatures et relancer les employeurs" },
] as const satisfies readonly ReferenceItem[];
export const THEMATIQUES_VALUES = THEMATIQUES.map((i) => i.value) as readonly string[];

/** data·inclusion `types-de-services`. */
export const TYPES_DE_SERVICES = [
  { value: "accompagnement", label: "Accompagnement" },
  { value: "aide-financiere", label: "Aide financière" },
  { value: "aide-materielle", label: "Aide materielle" },
  { value: "atelier", label: "Atelier" },
  { value: "formation", label: "Formation" },
  { value: "information", label: "Information" },
] as const satisfies readonly ReferenceItem[];
export const TYPES_DE_SERVICES_VALUES = TYPES_DE_SERVICES.map((i) => i.value) as readonly string[];

/** data·inclusion `frais`. */
export const FRAIS = [
  { value: "gratuit", label: "Gratuit" },
  { value: "payant", label: "Payant" },
] as const satisfies readonly ReferenceItem[];
export const FRAIS_VALUES = FRAIS.map((i) => i.value) as readonly string[];

/** data·inclusion `publics`. */
export const PUBLICS = [
  { value: "actifs", label: "Actifs" },
  { value: "beneficiaires-des-minimas-sociaux", label: "Bénéficiaires des minimas sociaux" },
  { value: "demandeurs-emploi", label: "Demandeurs d’emploi" },
  { value: "etudiants", label: "Étudiants" },
  { value: "familles", label: "Familles" },
  { value: "femmes", label: "Femmes" },
  { value: "jeunes", label: "Jeunes" },
  { value: "personnes-en-situation-de-handicap", label: "Personnes en situation de handicap" },
  { value: "personnes-en-situation-durgence", label: "Personnes en situation d’urgence" },
  { value: "personnes-en-situation-juridique-specifique", label: "Personnes en situation juridique spécifique" },
  { value: "personnes-exilees", label: "Personnes exilées" },
  { value: "residents-qpv-frr", label: "Résidents en QPV ou FRR" },
  { value: "seniors", label: "Séniors" },
  { value: "tous-publics", label: "Tous publics" },
] as const satisfies readonly ReferenceItem[];
export const PUBLICS_VALUES = PUBLICS.map((i) => i.value) as readonly string[];

/** data·inclusion `modes-accueil`. */
export const MODES_ACCUEIL = [
  { value: "a-distance", label: "À distance" },
  { value: "en-presentiel", label: "En présentiel" },
] as const satisfies readonly ReferenceItem[];
export const MODES_ACCUEIL_VALUES = MODES_ACCUEIL.map((i) => i.value) as readonly string[];

/** data·inclusion `modes-mobilisation`. */
export const MODES_MOBILISATION = [
  { value: "envoyer-un-courriel", label: "Envoyer un courriel" },
  { value: "se-presenter", label: "Se présenter" },
  { value: "telephoner", label: "Téléphoner" },
  { value: "utiliser-lien-mobilisation", label: "Utiliser le lien de mobilisation" },
] as const satisfies readonly ReferenceItem[];
export const MODES_MOBILISATION_VALUES = MODES_MOBILISATION.map((i) => i.value) as readonly string[];

/** data·inclusion `personnes-mobilisatrices`. */
export const PERSONNES_MOBILISATRICES = [
  { value: "professionnels", label: "Professionnels" },
  { value: "usagers", label: "Usagers" },
] as const satisfies readonly ReferenceItem[];
export const PERSONNES_MOBILISATRICES_VALUES = PERSONNES_MOBILISATRICES.map((i) => i.value) as readonly string[];
