/** The main job behind `npm start` and `ballast demo`: a three-provider cascade over sample reviews. */
export { runDemo } from "./run-demo.js";
