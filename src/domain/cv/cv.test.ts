import { describe, expect, it } from 'vitest';
import { findBirthDates } from './births.js';
import { extractCv } from './index.js';
import { findPhones } from './phones.js';
import { findUniversities } from './universities.js';
import { findWorkPeriods } from './work-periods.js';

describe('the CV parser', () => {
  it('takes a date of birth only from a label, in English, Spanish, French and Swahili', () => {
    expect(findBirthDates('Date of birth: 12 March 1990\nGraduated 14 June 2012')).toEqual(['1990-03-12']);
    expect(findBirthDates('DOB: 04/12/1990')).toEqual(['1990-12-04']);
    expect(findBirthDates('Fecha de nacimiento: 5 de mayo de 1992')).toEqual(['1992-05-05']);
    expect(findBirthDates('Date de naissance : 14 février 1988')).toEqual(['1988-02-14']);
    expect(findBirthDates('Tarehe ya kuzaliwa: 1990-07-21')).toEqual(['1990-07-21']);
    expect(findBirthDates('Born in 1990')).toEqual([]);
  });

  it('takes no date of birth less than ten years before today, to the day', () => {
    const now = new Date('2026-12-07T12:00:00Z');
    expect(findBirthDates('Date of birth: 31/12/2016', now)).toEqual([]);
    expect(findBirthDates('Date of birth: 08/12/2016', now)).toEqual([]);
    expect(findBirthDates('Date of birth: 07/12/2016', now)).toEqual(['2016-12-07']);
  });

  it('finds phones in E.164, national ones only with a trunk prefix and a country', () => {
    expect(findPhones('Call +254 712 345 678 or 0722 000 111; 2008 - 2012', 'KE')).toEqual([
      '+254712345678',
      '+254722000111',
    ]);
    expect(findPhones('0722 000 111')).toEqual([]);
  });

  it('reads work periods in several layouts, with present as an open end', () => {
    expect(
      findWorkPeriods(
        [
          'Experience',
          'Credit Analyst, Safaricom PLC — Jan 2018 – Present',
          'Equity Bank | Loan Officer | 03/2015 - 12/2017',
          'Teaching Assistant at Strathmore University',
          '2012 to 2014',
          'Comptable chez Orange, depuis 2019',
          'Education',
          'BSc Economics, University of Nairobi, 2008 - 2012',
        ].join('\n'),
      ),
    ).toEqual([
      { employer: 'Safaricom PLC', title: 'Credit Analyst', from: '2018-01', to: null },
      { employer: 'Equity Bank', title: 'Loan Officer', from: '2015-03', to: '2017-12' },
      { employer: 'Strathmore University', title: 'Teaching Assistant', from: '2012-01', to: '2014-12' },
      { employer: 'Orange', title: 'Comptable', from: '2019-01', to: null },
    ]);
  });

  it('reads no month out of a number that is none, nor a year out of a longer number', () => {
    // Read as the year alone it holds, as a year written alone is.
    expect(findWorkPeriods('Software Engineer | Andela | 13/2015 - 12/2017')).toEqual([
      { employer: 'Andela', title: 'Software Engineer', from: '2015-01', to: '2017-12' },
    ]);
    expect(findWorkPeriods('Software Engineer | Andela | 01/20155 - 12/2017')).toEqual([]);
    expect(findWorkPeriods('Software Engineer | Andela | 11/2015 - 12/2017')).toEqual([
      { employer: 'Andela', title: 'Software Engineer', from: '2015-11', to: '2017-12' },
    ]);
  });

  it('reads a month only as a whole word, not inside a place name', () => {
    expect(findWorkPeriods('Analista, Banco de Chile, Santiago 2015 – 2018')).toEqual([
      { employer: 'Banco de Chile', title: 'Analista', from: '2015-01', to: '2018-12' },
    ]);
    expect(findWorkPeriods('Officer, Hospital Tobago 2012 - 2014')).toEqual([
      { employer: 'Hospital Tobago', title: 'Officer', from: '2012-01', to: '2014-12' },
    ]);
  });

  it('ends an education section at any other heading, but not at a line about studies', () => {
    const cv = (heading: string) =>
      findWorkPeriods(
        [
          'Education',
          'University of Nairobi, BSc Economics, 2009 - 2012',
          '',
          heading,
          'Loan Officer, Equity Bank, 2013 - 2016',
        ].join('\n'),
      );
    const work = [{ employer: 'Equity Bank', title: 'Loan Officer', from: '2013-01', to: '2016-12' }];
    for (const heading of ['Relevant Experience', 'Internships', 'VOLUNTEERING:', 'Experiencia laboral'])
      expect(cv(heading), heading).toEqual(work);
    expect(
      findWorkPeriods(
        ['Education', 'Professional Diploma in Accounting', 'Strathmore', '2010 - 2011'].join('\n'),
      ),
    ).toEqual([]);
  });

  it('reads an open end only from a whole word, and "date" only as "to date"', () => {
    expect(findWorkPeriods('Credit Officer, Equity Bank 2014 - Currently on study leave')).toEqual([]);
    expect(findWorkPeriods('Passport issued 05/2015 - Date of expiry 05/2025')).toEqual([]);
    for (const line of [
      'Analyst, KCB, 2015 to date',
      'Analyst, KCB, 2015 till date',
      'Analyst, KCB, 2015 - Now',
    ])
      expect(findWorkPeriods(line), line).toEqual([
        { employer: 'KCB', title: 'Analyst', from: '2015-01', to: null },
      ]);
    expect(findWorkPeriods('Analista, BBVA, 2015 a la fecha')).toEqual([
      { employer: 'BBVA', title: 'Analista', from: '2015-01', to: null },
    ]);
  });

  it('reads a date of birth label only as whole words', () => {
    expect(findBirthDates('Formation terminée le 30 juin 2012 à Dakar')).toEqual([]);
    expect(findBirthDates('Née le 15 avril 1992')).toEqual(['1992-04-15']);
  });

  it('takes a straight apostrophe for a curly one in places and skills', () => {
    const cv = extractCv("Abidjan, Côte d'Ivoire. Tel 07 07 12 34 56\nSkills: travail d’équipe");
    expect(cv.places).toEqual(['Abidjan', "Côte d'Ivoire"]);
    expect(cv.phones).toEqual(['+2250707123456']);
    expect(cv.skills).toEqual(['Teamwork']);
  });

  it('names universities with their joining words, and known ones without a keyword', () => {
    expect(
      findUniversities('University of Dar es Salaam\nUniversidad Complutense de Madrid, 2010\nMBA, INSEAD'),
    ).toEqual(['University of Dar es Salaam', 'Universidad Complutense de Madrid', 'INSEAD']);
  });

  it('reads national numbers by the current code of the country, and no grouping is a country', () => {
    expect(extractCv('Harare, Zimbabwe\nTel 0771 234 567').phones).toEqual(['+263771234567']);
    expect(extractCv('Berlin, Germany\nTel 030 12345678').phones).toEqual(['+493012345678']);
    const un = extractCv(
      'Programme Officer, United Nations — Jan 2019 – Present\nNairobi, Kenya. Tel 0712 345 678',
    );
    expect(un.places).toEqual(['Nairobi', 'Kenya']);
    expect(un.phones).toEqual(['+254712345678']);
  });

  it('reads national phone numbers with the country the text names', () => {
    const cv = extractCv('Mombasa, Kenya\nMobile: 0711 987 654\nSkills: Excel, M-Pesa, Kiswahili');
    expect(cv.places).toEqual(['Mombasa', 'Kenya']);
    expect(cv.phones).toEqual(['+254711987654']);
    expect(cv.skills).toEqual(['Excel', 'Mobile money', 'Swahili']);
  });
});
