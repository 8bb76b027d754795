/** The standard normal density and distribution function, for the Donoho–Tanner exercise (from core/special). */
export { normalCdf, normalPdf } from '../../core/special';
