// Package compat is code written against a renamed operation's old name (`fetch`, now
// `get_item`): tests/sdk-go/run.sh builds it against the new SDK with `--compat` (it must
// compile) and without (it must not).
package compat

import (
	"context"

	"demo/demo"
)

// UsesTheOldName calls the operation by its old name, with its old parameters type.
func UsesTheOldName(ctx context.Context, client *demo.ShopClient) (int64, error) {
	res, err := client.Fetch(ctx, demo.ShopFetchParams{ID: 1})
	if err != nil {
		return 0, err
	}
	return res.Data.ID, nil
}
