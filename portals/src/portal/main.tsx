import { mount } from "../shared/mount";
import { App } from "./App";

mount(App, { sessionKey: "dotmac.portal.session", basename: "/portal" });
