const dayjs = require('dayjs');

console.log(dayjs().format('YYYY-MM-DD'));
