#!/usr/bin/env node
/** Placeholder CLI (filled in below). */
console.log('superposition');
