// `cradle fits stats FILE --hdu N --json` without the CLI shell: the same engine call, so bench.py can
// separate the engine's time from the start-up of the whole `cradle` command (which loads every
// capability's module). Usage: node --import tsx test/bench/fits/cradle-stats.ts FILE HDU
import { FitsFile } from '../../../electron/fits/file.ts';
import { statsOf, toJsonText } from '../../../electron/fits/inspect.ts';

const [path, hdu] = process.argv.slice(2);
const stats = FitsFile.with(path!, (file) => statsOf(file, file.find(hdu ?? '1')));
process.stdout.write(`${toJsonText(stats)}\n`);
