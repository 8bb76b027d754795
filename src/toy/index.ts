/** Toy models of superposition (Elhage et al. 2022): training, analyses and the n=2→m=1 theory. */
export * from './model';
export * from './analysis';
export * from './theory';
export { fillSparseUniform } from './data';
