/** viz: plotly figure builders, show() for the tslab kernel, static SVG/PNG export, arquero tables. */
export * from './figure';
export * from './line';
export * from './heatmap';
export * from './histogram';
export * from './images';
export * from './pareto';
export * from './grid';
export * from './png';
export * from './render';
export * from './export';
export * from './kernel';
export * from './table';
export * from './show';
export * from './notebooks';
