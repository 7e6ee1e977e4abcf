/**
 * The skills dictionary the CV parser recognises (docs/cv-parser.md#skills): each skill with the
 * spellings that name it, matched as whole words, case-insensitively. The canonical name is what
 * is reported. Kept small and general on purpose: the score reads the count, not the names.
 */
import { wordsLiteral } from './words.js';

export const SKILLS: Readonly<Record<string, readonly string[]>> = {
  // Software and data
  JavaScript: ['javascript', 'js'],
  TypeScript: ['typescript'],
  Python: ['python'],
  Java: ['java'],
  'C#': ['c#', 'csharp'],
  'C++': ['c++'],
  Go: ['golang'],
  PHP: ['php'],
  Ruby: ['ruby'],
  Kotlin: ['kotlin'],
  Swift: ['swift'],
  SQL: ['sql', 'mysql', 'postgresql', 'postgres'],
  HTML: ['html', 'html5'],
  CSS: ['css'],
  React: ['react', 'react.js', 'reactjs'],
  'Node.js': ['node.js', 'nodejs'],
  Django: ['django'],
  Linux: ['linux'],
  Git: ['git'],
  Docker: ['docker'],
  Kubernetes: ['kubernetes'],
  AWS: ['aws', 'amazon web services'],
  'Machine learning': ['machine learning', 'aprendizaje automático', 'apprentissage automatique'],
  'Data analysis': ['data analysis', 'análisis de datos', 'analyse de données', 'uchambuzi wa data'],
  Excel: ['excel', 'microsoft excel'],
  'Power BI': ['power bi'],
  Tableau: ['tableau'],
  SPSS: ['spss'],
  Stata: ['stata'],
  R: ['r programming', 'rstudio'],
  SAP: ['sap'],
  QuickBooks: ['quickbooks'],
  'Microsoft Office': ['microsoft office', 'ms office'],
  // Business and finance
  Accounting: ['accounting', 'contabilidad', 'comptabilité', 'uhasibu'],
  Bookkeeping: ['bookkeeping'],
  Auditing: ['auditing', 'audit', 'auditoría'],
  'Financial analysis': ['financial analysis', 'análisis financiero', 'analyse financière'],
  Budgeting: ['budgeting', 'presupuestos'],
  'Credit analysis': ['credit analysis', 'credit risk'],
  'Project management': [
    'project management',
    'gestión de proyectos',
    'gestion de projet',
    'usimamizi wa miradi',
  ],
  'Customer service': ['customer service', 'atención al cliente', 'service client', 'huduma kwa wateja'],
  Sales: ['sales', 'ventas', 'mauzo'],
  Marketing: ['marketing', 'mercadeo'],
  'Digital marketing': ['digital marketing', 'seo', 'social media marketing'],
  Procurement: ['procurement'],
  Logistics: ['logistics', 'logística', 'logistique'],
  'Supply chain': ['supply chain'],
  'Human resources': ['human resources', 'recursos humanos', 'ressources humaines'],
  Negotiation: ['negotiation', 'negociación', 'négociation'],
  Leadership: ['leadership', 'liderazgo', 'uongozi'],
  Teamwork: ['teamwork', 'trabajo en equipo', "travail d'équipe"],
  Communication: ['communication skills', 'comunicación'],
  'Public speaking': ['public speaking'],
  Mobile_money: ['m-pesa', 'mpesa', 'mobile money'],
  // Trades, health, education, agriculture
  Nursing: ['nursing', 'enfermería', 'soins infirmiers', 'uuguzi'],
  'First aid': ['first aid', 'primeros auxilios'],
  Teaching: ['teaching', 'enseñanza', 'enseignement', 'ualimu'],
  Driving: [
    'driving licence',
    "driver's license",
    'driving license',
    'licencia de conducir',
    'permis de conduire',
  ],
  Welding: ['welding', 'soldadura'],
  Carpentry: ['carpentry', 'carpintería'],
  Plumbing: ['plumbing'],
  'Electrical installation': ['electrical installation', 'electrician'],
  Agronomy: ['agronomy', 'agronomía', 'agronomie'],
  Farming: ['farming', 'kilimo'],
  Tailoring: ['tailoring'],
  Cooking: ['cooking', 'culinary'],
  Photography: ['photography', 'fotografía'],
  'Graphic design': ['graphic design', 'photoshop', 'illustrator', 'diseño gráfico'],
  Translation: ['translation', 'traducción', 'traduction'],
  // Languages
  English: ['english', 'inglés', 'anglais', 'kiingereza'],
  French: ['french', 'francés', 'français', 'kifaransa'],
  Spanish: ['spanish', 'español', 'espagnol'],
  Swahili: ['swahili', 'kiswahili'],
  Portuguese: ['portuguese', 'portugués', 'portugais'],
  Arabic: ['arabic', 'árabe', 'arabe'],
};

const MATCHERS = Object.entries(SKILLS).map(
  ([name, words]) =>
    [
      name.replace('_', ' '),
      new RegExp(`(?<![\\p{L}\\p{N}])(?:${words.map(wordsLiteral).join('|')})(?![\\p{L}\\p{N}+#])`, 'iu'),
    ] as const,
);

export function findSkills(text: string): string[] {
  return MATCHERS.filter(([, re]) => re.test(text)).map(([name]) => name);
}
