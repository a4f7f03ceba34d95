export function total(prices: number[]): number {
  let sum = 0;
  for (const price of prices) sum += price;
  return sum;
}

const label: number = 'total';
console.log(label, totl([1, 2, 3]));
