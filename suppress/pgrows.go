package suppress

import (
	"database/sql/driver"
	"fmt"
	"strconv"
	"strings"
)

// PostgreSQL takes the recorder's many-row statements and its IN lists as one array per
// column: a batch's events go in with 15 parameters, not 15 per row, in one statement of the
// same text whatever the number of rows. PostgreSQL parses, plans and binds far less that
// way, pgx encodes one value per column instead of one per row and column, and a batch's
// rows of one table take one statement.

// pgRowsPerStatement is the most rows one of the recorder's statements takes on PostgreSQL: a
// batch of a run fits in one, and a larger one (an import) goes in pieces of this size. A
// variable for the tests.
var pgRowsPerStatement = 1000

// pgStatement is the statement for the batch's first rows rows on PostgreSQL, and its
// arguments: an array per column, unnested into the rows (see rowBatch). A joined INSERT
// takes them in the order given, as the VALUES list does on SQLite: the changes get their
// ids in that order.
func (b *rowBatch) pgStatement(rows int) (string, []driver.NamedValue, error) {
	args := make([]driver.NamedValue, b.width)
	col := make([]any, rows)
	for c := range b.width {
		for i := range rows {
			col[i] = b.args[i*b.width+c].Value
		}
		v, err := pgArray(col)
		if err != nil {
			return "", nil, fmt.Errorf("%s: column %d: %w", b.name, c+1, err)
		}
		args[c] = driver.NamedValue{Ordinal: c + 1, Value: v}
	}
	if q, ok := b.queries[0]; ok {
		return q, args, nil
	}
	unnest := "unnest(?" + strings.Repeat(", ?", b.width-1) + ")"
	q := b.head + "SELECT * FROM " + unnest + b.conflict
	if b.joined {
		var names strings.Builder
		for c := range b.width {
			names.WriteString("column" + strconv.Itoa(c+1) + ", ")
		}
		join := b.join
		if j, ok := pgJoins[join]; ok {
			join = j
		}
		q = b.head + unnest + " WITH ORDINALITY AS v(" + names.String() + "ord)" + join
		if strings.HasPrefix(b.head, "INSERT") {
			q += " ORDER BY v.ord"
		}
		q += b.conflict
	}
	if b.queries == nil {
		b.queries = make(map[int]string)
	}
	b.queries[0] = q
	return q, args, nil
}

// pgJoins are the PostgreSQL forms of the recorder's joins. A row's event is looked up by id
// in a subquery that cannot be merged into the join: PostgreSQL would otherwise join a
// batch's few hundred rows to events by hashing the whole table while it is small (a
// batch's new entries read all 10,000 events of a store, 17 ms), and the lookup stays one
// index probe per row however the table grows.
var pgJoins = map[string]string{
	fromEvents: `, LATERAL (SELECT * FROM events WHERE events.id = v.column1 OFFSET 0) AS e`,
}

// pgArray makes values, driver values of one column, a typed array that pgx sends as one
// parameter (cast in rebind): []int64 for integers and bools (PostgreSQL's columns are
// integers, as SQLite's), []string and [][]byte, with pointer elements where some values are
// NULL ([]*int64, []*string). A column of NULLs only is sent as []*int64: the store's only
// nullable columns are integers.
func pgArray(values []any) (any, error) {
	var kind any
	nulls := false
	for _, v := range values {
		if v == nil {
			nulls = true
		} else if kind == nil {
			kind = v
		}
	}
	switch kind.(type) {
	case nil, int64, bool:
		a := make([]*int64, len(values))
		ns := make([]int64, len(values))
		for i, v := range values {
			switch v := v.(type) {
			case nil:
				continue
			case int64:
				ns[i] = v
			case bool:
				if v {
					ns[i] = 1
				}
			default:
				return nil, fmt.Errorf("a %T among integers", v)
			}
			a[i] = &ns[i]
		}
		if nulls || kind == nil {
			return a, nil
		}
		return ns, nil
	case string:
		if nulls {
			a := make([]*string, len(values))
			for i, v := range values {
				if v != nil {
					s, ok := v.(string)
					if !ok {
						return nil, fmt.Errorf("a %T among strings", v)
					}
					a[i] = &s
				}
			}
			return a, nil
		}
		a := make([]string, len(values))
		for i, v := range values {
			s, ok := v.(string)
			if !ok {
				return nil, fmt.Errorf("a %T among strings", v)
			}
			a[i] = s
		}
		return a, nil
	case []byte:
		a := make([][]byte, len(values))
		for i, v := range values {
			if v == nil {
				continue // a nil element is sent as NULL
			}
			b, ok := v.([]byte)
			if !ok {
				return nil, fmt.Errorf("a %T among blobs", v)
			}
			a[i] = b
		}
		return a, nil
	}
	return nil, fmt.Errorf("no PostgreSQL array for %T values", kind)
}
