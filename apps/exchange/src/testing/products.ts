/** A product over the built-in currencies that the default market does not have. */
export const BTC_ETH = {
  id: 'BTC-ETH',
  base_currency: 'BTC',
  quote_currency: 'ETH',
  quote_increment: '0.0001',
  base_increment: '0.0001',
  base_min_size: '0.001',
  min_market_funds: '0.001',
  max_market_funds: '1000',
  maker_fee_rate: '0.001',
  taker_fee_rate: '0.002',
};
