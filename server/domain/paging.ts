// Paging input shared by the lists the pages read a page at a time.
import { z } from "zod";

/**
 * tRPC's infinite queries add `direction` to the input of every page they fetch. Inputs are strict (an
 * unknown key is refused, never dropped), so the paged lists accept it; pages only go forward, so it is
 * otherwise ignored.
 */
export const ZPageDirection = z.enum(["forward", "backward"]).optional();
