import { createServer } from 'node:http';
import { answerAsStored, listenOnLoopback } from '../loopback';

/*
 * Started by startAnsweringCosProcess (emulator.ts), in a process of its own: a COS on loopback
 * that answers each PUT once its body has arrived (answerAsStored), printing what points the
 * function at it. Any keys sign for it: it checks none.
 */
void listenOnLoopback(createServer(answerAsStored)).then((cos) => {
  process.stdout.write(`export COS_ENDPOINT=${cos.endpoint}\nexport TENCENTCLOUD_SECRETID=answering\nexport TENCENTCLOUD_SECRETKEY=answering\n`);
});
