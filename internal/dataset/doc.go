// Package dataset owns the data files a run fills its request templates
// from ({{data.COLUMN}}): a CSV file with a header row, or JSON lines, read
// once before the load, bounded and parsed strictly, and the choice of a
// request's row from the run's seed and the request's position in the
// schedule (Order), which needs no state shared between senders.
package dataset
