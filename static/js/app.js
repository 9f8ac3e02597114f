// The page's entry module: wires up each enhancement that the current page asks for.
import { fillTimezone } from "./timezone.js";
import { enhanceQuizzes } from "./quiz.js";

fillTimezone(document);
enhanceQuizzes(document);
