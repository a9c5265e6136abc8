import { createContext, useContext, useSyncExternalStore, type ReactNode } from "react";
import { Api, Session } from "./session";
import type { Claims } from "./claims";

export interface AppServices {
  session: Session;
  api: Api;
}

const Context = createContext<AppServices | null>(null);

export function AppProvider({ services, children }: { services: AppServices; children: ReactNode }) {
  return <Context.Provider value={services}>{children}</Context.Provider>;
}

export function useServices(): AppServices {
  const services = useContext(Context);
  if (!services) throw new Error("AppProvider missing.");
  return services;
}

export function useApi(): Api {
  return useServices().api;
}

/** The signed-in user's claims, re-rendering on login, refresh, tenant switch and logout. */
export function useClaims(): Claims | null {
  const { session } = useServices();
  useSyncExternalStore((l) => session.subscribe(l), () => session.accessToken, () => null);
  return session.claims;
}

export function useTenant(): string | null {
  const { session } = useServices();
  return useSyncExternalStore((l) => session.subscribe(l), () => session.tenantId, () => null);
}

export function createServices(key: string): AppServices {
  const session = new Session(key);
  return { session, api: new Api(session) };
}
