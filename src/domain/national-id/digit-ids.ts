/**
 * National ids that carry no public check digit, checked by their length and the digits they may
 * start or end with. Each rule cites where it comes from.
 */

/**
 * PhilSys (Philippine Identification System): the PhilSys Number (PSN) has 12 digits; the
 * PhilSys Card Number (PCN) printed on the card has 16 (PSA, RA 11055 and its implementing rules).
 *
 * Valid: `123456789012`, `1234567890123456`. Invalid: `12345678901` (11 digits), `12345678901234` (14).
 */
export const isValidPhilSys = (digits: string): boolean => /^(\d{12}|\d{16})$/.test(digits);

/**
 * Colombian cédula de ciudadanía: 6 to 10 digits (Registraduría Nacional del Estado Civil); the
 * numbering never starts with 0.
 *
 * Valid: `1020304050`, `79123456`, `123456`. Invalid: `12345` (5 digits), `01234567` (leading 0),
 * `12345678901` (11 digits).
 */
export const isValidCedula = (digits: string): boolean => /^[1-9]\d{5,9}$/.test(digits);

/**
 * Vietnam: the 9-digit identity card (CMND) or the 12-digit citizen identity card (CCCD), whose
 * digits are the province code (3), sex and century (1), year of birth (2) and a serial (6)
 * (Circular 07/2016/TT-BCA).
 *
 * Valid: `123456789`, `001099012345`. Invalid: `12345678` (8 digits), `0010990123456` (13).
 */
export const isValidVietnamId = (digits: string): boolean => /^(\d{9}|\d{12})$/.test(digits);

/**
 * Nigeria's National Identification Number (NIN): 11 digits (NIMC Act 2007).
 *
 * Valid: `12345678901`. Invalid: `1234567890` (10 digits), `123456789012` (12).
 */
export const isValidNin = (digits: string): boolean => /^\d{11}$/.test(digits);

/**
 * Pakistan's CNIC: 13 digits, usually written `34201-0891231-8`: a locality code whose first digit
 * is the province (1 Khyber Pakhtunkhwa to 7 Gilgit-Baltistan, 8 Azad Jammu and Kashmir), a serial,
 * and a last digit that is odd for men and even for women, never 0 (NADRA).
 *
 * Valid: `3420108912318`, `4220103976408`, `8220312345671` (Muzaffarabad). Invalid:
 * `9420108912318` (no province 9),
 * `3420108912310` (last digit 0), `342010891231` (12 digits).
 */
export const isValidCnic = (digits: string): boolean => /^[1-8]\d{11}[1-9]$/.test(digits);
