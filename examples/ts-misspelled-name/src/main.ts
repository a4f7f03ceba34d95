import { greeting } from './greet';

const message: string = greting('world');
console.log(message);
