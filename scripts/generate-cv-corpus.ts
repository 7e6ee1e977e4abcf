/**
 * Generates the CV corpus of `npm run bench:cv` (bench/cv-corpus/): 24 CVs as PDF (pdf-lib), DOCX
 * (docx) and plain text, in English, Spanish, French and Swahili, with several layouts, and for
 * each the expected output written from the same facts the CV was written from (never from the
 * parser). Deterministic: running it again writes the same expected files.
 *
 *   npx tsx scripts/generate-cv-corpus.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import { Document, Packer, Paragraph, TextRun } from 'docx';
import { PDFDocument, StandardFonts } from 'pdf-lib';

const OUT = path.resolve(import.meta.dirname, '../bench/cv-corpus');

type Lang = 'en' | 'es' | 'fr' | 'sw';
interface Job {
  employer: string;
  title: string;
  from: [number, number]; // year, month
  to: [number, number] | null;
  yearsOnly?: boolean;
}
interface Person {
  name: string;
  lang: Lang;
  city: string;
  country: string;
  email: string;
  /** As written, and in E.164. */
  phone: [string, string];
  extraPhone?: [string, string];
  dob?: [string, string]; // as written (with its label), ISO
  skills: [string, string][]; // as written, canonical
  jobs: Job[];
  universities: [string, string][]; // line as written, expected name
}

const P = (p: Person) => p;
const PEOPLE: Person[] = [
  P({
    name: 'Amina Odhiambo',
    lang: 'en',
    city: 'Nairobi',
    country: 'Kenya',
    email: 'amina.odhiambo@gmail.com',
    phone: ['+254 712 345 678', '+254712345678'],
    dob: ['Date of birth: 12 March 1990', '1990-03-12'],
    skills: [
      ['Excel', 'Excel'],
      ['SQL', 'SQL'],
      ['credit analysis', 'Credit analysis'],
      ['Kiswahili', 'Swahili'],
    ],
    jobs: [
      { employer: 'Safaricom PLC', title: 'Credit Analyst', from: [2018, 1], to: null },
      { employer: 'Equity Bank', title: 'Loan Officer', from: [2015, 3], to: [2017, 12] },
    ],
    universities: [['BSc Economics, University of Nairobi, 2008 - 2012', 'University of Nairobi']],
  }),
  P({
    name: 'Brian Mwangi',
    lang: 'en',
    city: 'Mombasa',
    country: 'Kenya',
    email: 'b.mwangi@outlook.com',
    phone: ['0722 000 111', '+254722000111'],
    dob: ['DOB: 04/12/1988', '1988-12-04'],
    skills: [
      ['Python', 'Python'],
      ['Docker', 'Docker'],
      ['Linux', 'Linux'],
    ],
    jobs: [{ employer: 'Andela', title: 'Software Developer', from: [2019, 6], to: [2023, 2] }],
    universities: [
      [
        'BSc Computer Science, Jomo Kenyatta University of Agriculture and Technology',
        'Jomo Kenyatta University of Agriculture and Technology',
      ],
    ],
  }),
  P({
    name: 'Grace Wanjiku',
    lang: 'en',
    city: 'Nakuru',
    country: 'Kenya',
    email: 'grace.wanjiku@yahoo.com',
    phone: ['+254-733-123-456', '+254733123456'],
    skills: [
      ['nursing', 'Nursing'],
      ['first aid', 'First aid'],
      ['English', 'English'],
    ],
    jobs: [
      {
        employer: 'Nakuru Level 5 Hospital',
        title: 'Nurse',
        from: [2014, 1],
        to: [2020, 12],
        yearsOnly: true,
      },
    ],
    universities: [['Diploma in Nursing - Kenya Medical Training College', 'Kenya Medical Training College']],
  }),
  P({
    name: 'Joseph Otieno',
    lang: 'en',
    city: 'Kisumu',
    country: 'Kenya',
    email: 'jotieno@example.org',
    phone: ['+254 701 222 333', '+254701222333'],
    dob: ['Born on 3rd July 1985', '1985-07-03'],
    skills: [
      ['accounting', 'Accounting'],
      ['QuickBooks', 'QuickBooks'],
      ['M-Pesa', 'Mobile money'],
    ],
    jobs: [
      { employer: 'KCB Group', title: 'Accountant', from: [2012, 2], to: [2016, 8] },
      { employer: 'Twiga Foods', title: 'Finance Manager', from: [2016, 9], to: null },
    ],
    universities: [
      ['Bachelor of Commerce, Maseno University', 'Maseno University'],
      ['CPA Kenya, Strathmore University', 'Strathmore University'],
    ],
  }),
  P({
    name: 'Fatuma Hassan',
    lang: 'en',
    city: 'Dar es Salaam',
    country: 'Tanzania',
    email: 'fatuma.hassan@gmail.com',
    phone: ['+255 754 123 456', '+255754123456'],
    dob: ['Date of Birth: 21/07/1992', '1992-07-21'],
    skills: [
      ['customer service', 'Customer service'],
      ['sales', 'Sales'],
    ],
    jobs: [{ employer: 'Vodacom Tanzania', title: 'Sales Representative', from: [2017, 4], to: [2021, 3] }],
    universities: [['University of Dar es Salaam', 'University of Dar es Salaam']],
  }),
  P({
    name: 'Peter Mugisha',
    lang: 'en',
    city: 'Kampala',
    country: 'Uganda',
    email: 'peter.mugisha@mak.ac.ug',
    phone: ['+256 772 456 789', '+256772456789'],
    dob: ['Date of birth: 15 January 1991', '1991-01-15'],
    skills: [
      ['data analysis', 'Data analysis'],
      ['Stata', 'Stata'],
      ['R programming', 'R'],
    ],
    jobs: [{ employer: 'Uganda Bureau of Statistics', title: 'Economist', from: [2016, 7], to: null }],
    universities: [['MSc Economics, Makerere University', 'Makerere University']],
  }),
  P({
    name: 'Chinedu Okeke',
    lang: 'en',
    city: 'Lagos',
    country: 'Nigeria',
    email: 'chinedu.okeke@gmail.com',
    phone: ['+234 803 123 4567', '+2348031234567'],
    dob: ['D.O.B: 1987-11-30', '1987-11-30'],
    skills: [
      ['JavaScript', 'JavaScript'],
      ['React', 'React'],
      ['Node.js', 'Node.js'],
      ['Git', 'Git'],
    ],
    jobs: [
      { employer: 'Paystack', title: 'Senior Engineer', from: [2018, 5], to: null },
      { employer: 'Interswitch', title: 'Developer', from: [2014, 1], to: [2018, 4] },
    ],
    universities: [['University of Lagos, BSc Computer Science', 'University of Lagos']],
  }),
  P({
    name: 'Ama Mensah',
    lang: 'en',
    city: 'Accra',
    country: 'Ghana',
    email: 'ama.mensah@hotmail.com',
    phone: ['+233 24 123 4567', '+233241234567'],
    dob: ['Date of birth: 2 February 1993', '1993-02-02'],
    skills: [
      ['marketing', 'Marketing'],
      ['digital marketing', 'Digital marketing'],
      ['public speaking', 'Public speaking'],
    ],
    jobs: [
      { employer: 'MTN Ghana', title: 'Marketing Officer', from: [2016, 1], to: [2019, 6] },
      { employer: 'Hubtel', title: 'Marketing Manager', from: [2019, 7], to: null },
    ],
    universities: [
      [
        'Kwame Nkrumah University of Science and Technology',
        'Kwame Nkrumah University of Science and Technology',
      ],
    ],
  }),
  P({
    name: 'Thandiwe Nkosi',
    lang: 'en',
    city: 'Johannesburg',
    country: 'South Africa',
    email: 'thandi.nkosi@gmail.com',
    phone: ['+27 82 123 4567', '+27821234567'],
    skills: [
      ['project management', 'Project management'],
      ['leadership', 'Leadership'],
      ['Power BI', 'Power BI'],
    ],
    jobs: [{ employer: 'Standard Bank', title: 'Project Manager', from: [2015, 3], to: null }],
    universities: [['University of the Witwatersrand', 'University of the Witwatersrand']],
  }),
  P({
    name: 'Samuel Tesfaye',
    lang: 'en',
    city: 'Addis Ababa',
    country: 'Ethiopia',
    email: 'samuel.tesfaye@ethionet.et',
    phone: ['+251 91 123 4567', '+251911234567'],
    dob: ['Date of birth: 9 September 1989', '1989-09-09'],
    skills: [
      ['agronomy', 'Agronomy'],
      ['farming', 'Farming'],
    ],
    jobs: [
      {
        employer: 'Ethiopian Agricultural Transformation Agency',
        title: 'Field Officer',
        from: [2013, 1],
        to: [2019, 12],
        yearsOnly: true,
      },
    ],
    universities: [['Addis Ababa University', 'Addis Ababa University']],
  }),
  P({
    name: 'Emily Clarke',
    lang: 'en',
    city: 'London',
    country: 'United Kingdom',
    email: 'emily.clarke@btinternet.com',
    phone: ['+44 7911 123456', '+447911123456'],
    dob: ['Date of birth: 30 April 1994', '1994-04-30'],
    skills: [
      ['auditing', 'Auditing'],
      ['Excel', 'Excel'],
      ['financial analysis', 'Financial analysis'],
    ],
    jobs: [
      { employer: 'Deloitte', title: 'Audit Associate', from: [2016, 9], to: [2020, 8] },
      { employer: 'Barclays', title: 'Risk Analyst', from: [2020, 9], to: null },
    ],
    universities: [['BSc Accounting and Finance, London School of Economics', 'London School of Economics']],
  }),
  P({
    name: 'Daniel Kiprop',
    lang: 'en',
    city: 'Eldoret',
    country: 'Kenya',
    email: 'dkiprop@gmail.com',
    phone: ['0711 987 654', '+254711987654'],
    extraPhone: ['+254 20 123 4567', '+254201234567'],
    skills: [
      ['driving licence', 'Driving'],
      ['logistics', 'Logistics'],
    ],
    jobs: [
      { employer: 'Bolt', title: 'Driver', from: [2019, 1], to: null },
      { employer: 'Kenya Power', title: 'Clerk', from: [2012, 1], to: [2018, 12], yearsOnly: true },
    ],
    universities: [['Moi University', 'Moi University']],
  }),
  P({
    name: 'Aisha Bello',
    lang: 'en',
    city: 'Abuja',
    country: 'Nigeria',
    email: 'aisha.bello@proton.me',
    phone: ['+234 809 876 5432', '+2348098765432'],
    dob: ['Date of birth: 17 August 1995', '1995-08-17'],
    skills: [
      ['human resources', 'Human resources'],
      ['negotiation', 'Negotiation'],
      ['Microsoft Office', 'Microsoft Office'],
    ],
    jobs: [{ employer: 'Dangote Group', title: 'HR Officer', from: [2018, 2], to: null }],
    universities: [['Ahmadu Bello University', 'Ahmadu Bello University']],
  }),
  P({
    name: 'Michael Njoroge',
    lang: 'en',
    city: 'Thika',
    country: 'Kenya',
    email: 'mike.njoroge@gmail.com',
    phone: ['+254 790 111 222', '+254790111222'],
    dob: ['Born: 25 December 1986', '1986-12-25'],
    skills: [
      ['welding', 'Welding'],
      ['electrical installation', 'Electrical installation'],
    ],
    jobs: [
      { employer: 'Bidco Africa', title: 'Technician', from: [2010, 5], to: [2015, 4] },
      { employer: 'Kenya Breweries', title: 'Senior Technician', from: [2015, 5], to: null },
    ],
    universities: [['Diploma, Thika Technical Training Institute', 'Thika Technical Training Institute']],
  }),
  P({
    name: 'Nadia Rahman',
    lang: 'en',
    city: 'Kigali',
    country: 'Rwanda',
    email: 'nadia.rahman@gmail.com',
    phone: ['+250 788 123 456', '+250788123456'],
    dob: ['Date of birth: 1 June 1990', '1990-06-01'],
    skills: [
      ['teaching', 'Teaching'],
      ['French', 'French'],
      ['English', 'English'],
    ],
    jobs: [{ employer: 'Green Hills Academy', title: 'Teacher', from: [2014, 9], to: null }],
    universities: [['University of Rwanda', 'University of Rwanda']],
  }),
  P({
    name: 'Kwame Asante',
    lang: 'en',
    city: 'Kumasi',
    country: 'Ghana',
    email: 'kwame.asante@gmail.com',
    phone: ['+233 20 765 4321', '+233207654321'],
    skills: [
      ['procurement', 'Procurement'],
      ['supply chain', 'Supply chain'],
      ['SAP', 'SAP'],
    ],
    jobs: [{ employer: 'Guinness Ghana', title: 'Procurement Officer', from: [2017, 3], to: [2022, 10] }],
    universities: [['MBA, University of Ghana', 'University of Ghana']],
  }),
  P({
    name: 'Lucía Fernández',
    lang: 'es',
    city: 'Madrid',
    country: 'España',
    email: 'lucia.fernandez@gmail.com',
    phone: ['+34 612 34 56 78', '+34612345678'],
    dob: ['Fecha de nacimiento: 5 de mayo de 1992', '1992-05-05'],
    skills: [
      ['contabilidad', 'Accounting'],
      ['inglés', 'English'],
      ['trabajo en equipo', 'Teamwork'],
    ],
    jobs: [
      { employer: 'Banco Santander', title: 'Analista', from: [2017, 1], to: null },
      { employer: 'KPMG', title: 'Asistente', from: [2015, 6], to: [2016, 12] },
    ],
    universities: [['Universidad Complutense de Madrid', 'Universidad Complutense de Madrid']],
  }),
  P({
    name: 'Carlos Ramírez',
    lang: 'es',
    city: 'Bogotá',
    country: 'Colombia',
    email: 'carlos.ramirez@hotmail.com',
    phone: ['+57 310 123 4567', '+573101234567'],
    dob: ['Fecha de nacimiento: 14/02/1989', '1989-02-14'],
    skills: [
      ['ventas', 'Sales'],
      ['atención al cliente', 'Customer service'],
      ['Excel', 'Excel'],
    ],
    jobs: [{ employer: 'Bancolombia', title: 'Asesor Comercial', from: [2012, 3], to: [2018, 7] }],
    universities: [['Universidad de los Andes', 'Universidad de los Andes']],
  }),
  P({
    name: 'Mariana López',
    lang: 'es',
    city: 'Guadalajara',
    country: 'México',
    email: 'mariana.lopez@gmail.com',
    phone: ['+52 33 1234 5678', '+523312345678'],
    skills: [
      ['diseño gráfico', 'Graphic design'],
      ['fotografía', 'Photography'],
    ],
    jobs: [{ employer: 'Agencia Nube', title: 'Diseñadora', from: [2019, 2], to: null }],
    universities: [['Universidad de Guadalajara', 'Universidad de Guadalajara']],
  }),
  P({
    name: 'Aminata Diallo',
    lang: 'fr',
    city: 'Dakar',
    country: 'Sénégal',
    email: 'aminata.diallo@orange.sn',
    phone: ['+221 77 123 45 67', '+221771234567'],
    dob: ['Date de naissance : 14 février 1988', '1988-02-14'],
    skills: [
      ['comptabilité', 'Accounting'],
      ['anglais', 'English'],
      ['gestion de projet', 'Project management'],
    ],
    jobs: [
      { employer: 'Sonatel', title: 'Comptable', from: [2013, 9], to: [2019, 8] },
      { employer: 'Wave', title: 'Responsable financière', from: [2019, 9], to: null },
    ],
    universities: [['Université Cheikh Anta Diop', 'Université Cheikh Anta Diop']],
  }),
  P({
    name: 'Jean-Pierre Mbarga',
    lang: 'fr',
    city: 'Douala',
    country: 'Cameroun',
    email: 'jp.mbarga@yahoo.fr',
    phone: ['+237 6 71 23 45 67', '+237671234567'],
    dob: ['Né le 02/03/1991', '1991-03-02'],
    skills: [
      ['logistique', 'Logistics'],
      ['négociation', 'Negotiation'],
    ],
    jobs: [{ employer: 'Bolloré Transport', title: 'Chargé de logistique', from: [2016, 1], to: null }],
    universities: [['Université de Douala', 'Université de Douala']],
  }),
  P({
    name: 'Claire Dubois',
    lang: 'fr',
    city: 'Lyon',
    country: 'France',
    email: 'claire.dubois@free.fr',
    phone: ['+33 6 12 34 56 78', '+33612345678'],
    dob: ['Date de naissance : 22 octobre 1990', '1990-10-22'],
    skills: [
      ['analyse financière', 'Financial analysis'],
      ['espagnol', 'Spanish'],
      ['SQL', 'SQL'],
    ],
    jobs: [{ employer: 'BNP Paribas', title: 'Analyste crédit', from: [2014, 10], to: [2021, 5] }],
    universities: [['Université Lumière Lyon 2', 'Université Lumière Lyon']],
  }),
  P({
    name: 'Juma Mwinyi',
    lang: 'sw',
    city: 'Arusha',
    country: 'Tanzania',
    email: 'juma.mwinyi@gmail.com',
    phone: ['+255 713 987 654', '+255713987654'],
    dob: ['Tarehe ya kuzaliwa: 1990-07-21', '1990-07-21'],
    skills: [
      ['uhasibu', 'Accounting'],
      ['Kiingereza', 'English'],
      ['huduma kwa wateja', 'Customer service'],
    ],
    jobs: [{ employer: 'CRDB Bank', title: 'Mhasibu', from: [2015, 1], to: null }],
    universities: [['Chuo Kikuu cha Dar es Salaam', 'Chuo Kikuu cha Dar es Salaam']],
  }),
  P({
    name: 'Halima Abdallah',
    lang: 'sw',
    city: 'Mombasa',
    country: 'Kenya',
    email: 'halima.abdallah@gmail.com',
    phone: ['+254 725 333 444', '+254725333444'],
    dob: ['Tarehe ya kuzaliwa: 12/05/1994', '1994-05-12'],
    skills: [
      ['uuguzi', 'Nursing'],
      ['Kiswahili', 'Swahili'],
    ],
    jobs: [{ employer: 'Coast General Hospital', title: 'Muuguzi', from: [2017, 3], to: null }],
    universities: [['Technical University of Mombasa', 'Technical University of Mombasa']],
  }),
];

const HEAD: Record<
  Lang,
  { exp: string; edu: string; skills: string; contact: string; present: string; months: string[] }
> = {
  en: {
    exp: 'Work Experience',
    edu: 'Education',
    skills: 'Skills',
    contact: 'Contact',
    present: 'Present',
    months: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
  },
  es: {
    exp: 'Experiencia',
    edu: 'Educación',
    skills: 'Habilidades',
    contact: 'Contacto',
    present: 'actualidad',
    months: [
      'enero',
      'febrero',
      'marzo',
      'abril',
      'mayo',
      'junio',
      'julio',
      'agosto',
      'septiembre',
      'octubre',
      'noviembre',
      'diciembre',
    ],
  },
  fr: {
    exp: 'Expérience professionnelle',
    edu: 'Formation',
    skills: 'Compétences',
    contact: 'Coordonnées',
    present: "aujourd'hui",
    months: [
      'janvier',
      'février',
      'mars',
      'avril',
      'mai',
      'juin',
      'juillet',
      'août',
      'septembre',
      'octobre',
      'novembre',
      'décembre',
    ],
  },
  sw: {
    exp: 'Uzoefu wa Kazi',
    edu: 'Elimu',
    skills: 'Ujuzi',
    contact: 'Mawasiliano',
    present: 'sasa',
    months: [
      'Januari',
      'Februari',
      'Machi',
      'Aprili',
      'Mei',
      'Juni',
      'Julai',
      'Agosti',
      'Septemba',
      'Oktoba',
      'Novemba',
      'Desemba',
    ],
  },
};
const JOIN: Record<Lang, string> = { en: 'at', es: 'en', fr: 'chez', sw: 'katika' };

/** A job in one of four layouts, chosen by the CV's and the job's index. */
function jobLines(p: Person, j: Job, style: number): string[] {
  const h = HEAD[p.lang];
  const date = ([y, m]: [number, number], numeric: boolean) =>
    j.yearsOnly ? String(y) : numeric ? `${String(m).padStart(2, '0')}/${y}` : `${h.months[m - 1]} ${y}`;
  const numeric = style % 2 === 1;
  const range = `${date(j.from, numeric)} – ${j.to ? date(j.to, numeric) : h.present}`;
  switch (style % 4) {
    case 0:
      return [`${j.title}, ${j.employer} — ${range}`];
    case 1:
      return [`${j.employer} | ${j.title} | ${range}`];
    case 2:
      return [`${j.title} ${JOIN[p.lang]} ${j.employer}`, range];
    default:
      return [`${range}  ${j.title}, ${j.employer}`];
  }
}

function cvLines(p: Person, i: number): string[] {
  const h = HEAD[p.lang];
  const lines: string[] = [p.name.toUpperCase(), ''];
  const contact = `${p.city}, ${p.country} · ${p.email} · ${p.phone[0]}`;
  if (i % 3 === 0) lines.push(contact);
  else lines.push(h.contact, `${p.city}, ${p.country}`, p.email, p.phone[0]);
  if (p.extraPhone) lines.push(`Office: ${p.extraPhone[0]}`);
  if (p.dob) lines.push(p.dob[0]);
  lines.push('', h.exp);
  for (const [k, j] of p.jobs.entries()) lines.push(...jobLines(p, j, i + k), '');
  lines.push(h.edu, ...p.universities.map(([line]) => line), '');
  lines.push(`${h.skills}: ${p.skills.map(([w]) => w).join(', ')}`);
  return lines;
}

function expected(p: Person) {
  const month = ([y, m]: [number, number], end: boolean, yearsOnly?: boolean) =>
    `${y}-${String(yearsOnly ? (end ? 12 : 1) : m).padStart(2, '0')}`;
  const places = [p.city, p.country];
  return {
    places: [...new Set(places)],
    'days-of-birth': p.dob ? [p.dob[1]] : [],
    skills: [...new Set(p.skills.map(([, c]) => c))],
    phones: [p.phone[1], ...(p.extraPhone ? [p.extraPhone[1]] : [])],
    'work-periods': p.jobs.map((j) => ({
      employer: j.employer,
      title: j.title,
      from: month(j.from, false, j.yearsOnly),
      to: j.to ? month(j.to, true, j.yearsOnly) : null,
    })),
    universities: p.universities.map(([, u]) => u),
    emails: [p.email.toLowerCase()],
  };
}

async function pdf(lines: string[], twoColumn: boolean): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setCreationDate(new Date('2024-01-01T00:00:00Z'));
  doc.setModificationDate(new Date('2024-01-01T00:00:00Z'));
  const page = doc.addPage([595, 842]);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  let y = 800;
  for (const [k, line] of lines.entries()) {
    const f = k === 0 ? bold : font;
    const size = k === 0 ? 16 : 10.5;
    // The side column holds the contact lines that fit in it.
    const side = twoColumn && k > 1 && k < 6 && 330 + f.widthOfTextAtSize(line, size) < 560;
    page.drawText(line, { x: side ? 330 : 40, y, size, font: f });
    y -= k === 0 ? 24 : 15;
  }
  return doc.save();
}

async function docx(lines: string[]): Promise<Buffer> {
  const d = new Document({
    creator: 'Credence',
    sections: [
      {
        children: lines.map((l, k) => new Paragraph({ children: [new TextRun({ text: l, bold: k === 0 })] })),
      },
    ],
  });
  return Packer.toBuffer(d);
}

fs.rmSync(OUT, { recursive: true, force: true });
fs.mkdirSync(OUT, { recursive: true });
for (const [i, p] of PEOPLE.entries()) {
  const id = `cv-${String(i + 1).padStart(2, '0')}-${p.lang}`;
  const lines = cvLines(p, i);
  const format = ['pdf', 'docx', 'txt'][i % 3]!;
  const file = path.join(OUT, `${id}.${format}`);
  if (format === 'pdf') fs.writeFileSync(file, await pdf(lines, i % 6 === 3));
  else if (format === 'docx') fs.writeFileSync(file, await docx(lines));
  else fs.writeFileSync(file, `${lines.join('\n')}\n`);
  fs.writeFileSync(path.join(OUT, `${id}.expected.json`), `${JSON.stringify(expected(p), null, 2)}\n`);
}
console.log(`wrote ${PEOPLE.length} CVs and their expected output to ${path.relative(process.cwd(), OUT)}`);
