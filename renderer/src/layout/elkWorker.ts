// Loaded as a Web Worker: ELK's worker script answers ELK's layout requests on `self.onmessage`,
// so layouts of large flows never block the canvas.
import 'elkjs/lib/elk-worker.min.js';
