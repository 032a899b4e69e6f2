// Code written against the SDK of the `demo` workspace before `op fetch` was renamed to
// `op get_item` (compat.test.mjs): it compiles against the new SDK only with `--compat`.
import { demo } from "./index.js";

export async function fetchesAnItem(baseUrl: string): Promise<number> {
  const shop = new demo.ShopClient({ baseUrl });
  const item = await shop.fetch({ id: 7 });
  return item.data.id;
}
