/** Thrown when the data for a certificate is incomplete or wrong; `field` names the input field. */
export class CertificateInputError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.name = 'CertificateInputError';
    this.field = field;
  }
}

/** Why a learner's name cannot go on a certificate. */
export type LearnerNameProblem = 'empty' | 'too-long' | 'control-characters' | 'needs-latin-name' | 'latin-name-unrenderable';

/** Thrown when the learner's name cannot be printed; the message says what to type instead. */
export class LearnerNameError extends CertificateInputError {
  readonly problem: LearnerNameProblem;
  constructor(problem: LearnerNameProblem, message: string, field: 'learner.name' | 'learner.latinName' = 'learner.name') {
    super(field, message);
    this.name = 'LearnerNameError';
    this.problem = problem;
  }
}

/** Thrown when a font the certificate needs could not be loaded or read. */
export class CertificateFontError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CertificateFontError';
  }
}
